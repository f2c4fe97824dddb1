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
}
