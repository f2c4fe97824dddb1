using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Rooms;

/// <summary>A room on a phone (390×844): the conversation first, the room's details in a drawer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task On_a_phone_the_latest_message_and_the_composer_are_in_the_first_screen_and_details_open_in_a_drawer()
    {
        await using var pat = await Person.Arrive(chromium, app, "Pat Phone");
        await pat.Page.SetViewportSizeAsync(390, 844);
        await pat.Register();
        var roomUrl = await pat.CreateRoom("Pocket room", "Private");
        await app.Post(pat.Email, roomUrl, 40, "Pocket note");
        await pat.Page.GotoAsync(roomUrl.ToString());

        var latest = pat.Page.Locator("article[data-seq]").Filter(new() { HasText = "Pocket note 40" });
        await Expect(latest).ToBeInViewportAsync();
        await Expect(pat.Composer).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal(390, await pat.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")); // no sideways scrolling
        await Expect(pat.Page.GetByLabel("Members")).Not.ToBeInViewportAsync();

        // The header keeps the profile link whole, and the description reads in the header (one line) and in the details.
        var profile = pat.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Pat Phone" });
        await Expect(profile).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.True(await profile.EvaluateAsync<bool>("a => a.scrollWidth <= a.clientWidth"), "the profile link is cut short");
        await Expect(pat.Page.Locator("#room-header .room-description")).ToBeVisibleAsync();
        // Every action of a message is a target of at least 24 px.
        await latest.ClickAsync();
        foreach (var action in await latest.Locator(".message-tools").GetByRole(AriaRole.Button).AllAsync())
            if (await action.IsVisibleAsync())
                Assert.True((await action.BoundingBoxAsync())!.Height >= 24, $"{await action.TextContentAsync()} is under 24 px");

        // The drawer, by keyboard: open, focus inside, Esc closes and gives the focus back.
        var toggle = pat.Page.GetByRole(AriaRole.Button, new() { Name = "Room details" });
        await toggle.FocusAsync();
        await pat.Page.Keyboard.PressAsync("Enter");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(pat.Page.GetByLabel("Members")).ToBeInViewportAsync();
        await Expect(pat.Page.Locator("#room-details .details-description")).ToHaveTextAsync("All about Pocket room");
        await Expect(pat.Page.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();
        await pat.Page.Keyboard.PressAsync("Escape");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(toggle).ToBeFocusedAsync();
        await Expect(pat.Page.GetByLabel("Members")).Not.ToBeInViewportAsync();
        Assert.Empty(pat.Problems);
    }
}
