using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Pins;

/// <summary>The owner pins a message and another member sees it pinned at once; that member saves it and finds it on their Saved page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PinAndSaveBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_pinned_message_shows_for_everyone_live_and_a_member_saves_it_for_later()
    {
        await using var paula = await Person.Arrive(chromium, app, "Paulina Pins");
        await using var mia = await Person.Arrive(chromium, app, "Miriam Saves");
        await Task.WhenAll(paula.Register(), mia.Register());
        var roomUrl = await paula.CreateRoom("Release train", "Public");
        await mia.Page.GotoAsync(roomUrl.ToString());
        await mia.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await paula.Say("Code freeze on the 14th.");

        var pauls = paula.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Filter(new() { HasText = "Code freeze" });
        await pauls.HoverAsync();
        await pauls.GetByRole(AriaRole.Button, new() { Name = "Pin" }).ClickAsync();

        // Mia's page: the message is marked, and the room's details list it, without a reload.
        var mias = mia.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Filter(new() { HasText = "Code freeze" });
        await Expect(mias).ToContainTextAsync("📌 Pinned");
        await mia.Page.Locator("#room-details summary", new() { HasTextString = "Pinned" }).ClickAsync();
        await Expect(mia.Page.GetByRole(AriaRole.List, new() { Name = "Pinned" })).ToContainTextAsync("Code freeze on the 14th.");
        await mias.HoverAsync();
        await Expect(mias.GetByRole(AriaRole.Button, new() { Name = "Pin" })).ToBeHiddenAsync(); // a member who does not run the room

        await mias.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(mias.GetByRole(AriaRole.Button, new() { Name = "Unsave" })).ToBeVisibleAsync();
        await mia.Page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" }).GetByRole(AriaRole.Link, new() { Name = "Saved" }).ClickAsync();
        await Expect(mia.Page.GetByRole(AriaRole.List, new() { Name = "Results" })).ToContainTextAsync("Code freeze on the 14th.");
        Assert.Empty(await AccessibilityTests.EveryView(mia.Page, "saved"));

        await mia.Page.GotoAsync(roomUrl.ToString());
        Assert.Empty(await AccessibilityTests.EveryView(mia.Page, "pinned"));
        Assert.Empty(paula.Problems);
        Assert.Empty(mia.Problems);
    }
}
