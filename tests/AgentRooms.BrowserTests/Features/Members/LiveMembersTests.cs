using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Members;

/// <summary>Changes to who people are reach the pages that show them, without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveMembersTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_promotion_reaches_the_promoted_persons_open_page_and_a_rename_reaches_everyone()
    {
        await using var alice = await Person.Arrive(chromium, app, "Owner Olga");
        await using var bob = await Person.Arrive(chromium, app, "Bob");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Roles", "Public");
        await bob.Join(roomUrl);
        await alice.Say("a message Bob may not delete yet");
        var alicesMessage = bob.Page.Locator("#messages > article[data-seq]").Last;
        await Expect(alicesMessage).ToContainTextAsync("may not delete");
        await Expect(alicesMessage.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);

        // Alice makes Bob an admin in another tab; Bob's open page learns it.
        var settings = await alice.Page.Context.NewPageAsync();
        await settings.GotoAsync(roomUrl + "/settings");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Make admin: Bob" }).ClickAsync();
        await Expect(bob.Page.Locator("#connection")).ToContainTextAsync("You are now an admin of this room");
        await Expect(alicesMessage.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(1);

        // Alice renames herself; Bob's member list shows the new name.
        await settings.GotoAsync("/Account/Profile");
        await settings.GetByLabel("Display name").FillAsync("Olga the Owner");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(bob.Page.GetByLabel("Members")).ToContainTextAsync("Olga the Owner");
        Assert.Empty(bob.Problems);

        // Leaving asks first.
        var leave = bob.Page.GetByRole(AriaRole.Button, new() { Name = "Leave room" });
        await Expect(leave).ToBeHiddenAsync();
        await bob.Page.GetByText("Leave this room…").ClickAsync();
        await leave.ClickAsync();
        await Expect(bob.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/rooms$"));
        await Expect(alice.Page.GetByLabel("Members")).Not.ToContainTextAsync("Bob");
    }

    [Fact]
    public async Task Arrivals_and_departures_show_as_quiet_lines_and_three_in_a_row_fold_into_one()
    {
        await using var host = await Person.Arrive(chromium, app, "Hana Host");
        await using var bob = await Person.Arrive(chromium, app, "Bob Visit");
        await using var cleo = await Person.Arrive(chromium, app, "Cleo Visit");
        await using var dan = await Person.Arrive(chromium, app, "Dan Visit");
        await Task.WhenAll(host.Register(), bob.Register(), cleo.Register(), dan.Register());
        var roomUrl = await host.CreateRoom("Open doors", "Public");
        await host.Say("Come in");
        var lines = host.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator(".system-line");

        await bob.Join(roomUrl);
        await Expect(lines.Filter(new() { Visible = true })).ToHaveTextAsync(new[] { new Regex("^Bob Visit joined") });
        await cleo.Join(roomUrl);
        await dan.Join(roomUrl);
        await bob.Page.GetByText("Leave this room…").ClickAsync();
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Leave room" }).ClickAsync();

        await Expect(lines).ToHaveCountAsync(4);
        await Expect(lines.Filter(new() { Visible = true })).ToHaveTextAsync(new[] { new Regex("^Bob Visit, Cleo Visit and Dan Visit joined; Bob Visit left") }, new() { UseInnerText = true });
        await Expect(host.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        // A page opened afterwards folds them the same way.
        await cleo.Page.ReloadAsync();
        await Expect(cleo.Page.Locator("#messages .system-line").Filter(new() { Visible = true }))
            .ToHaveTextAsync(new[] { new Regex("^Bob Visit, Cleo Visit and Dan Visit joined; Bob Visit left") }, new() { UseInnerText = true });
        Assert.Empty(host.Problems);
    }
}
