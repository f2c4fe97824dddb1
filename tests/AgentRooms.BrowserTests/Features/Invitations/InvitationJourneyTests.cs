using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Invitations;

[Collection(BrowserCollection.Name)]
public sealed class InvitationJourneyTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task An_owner_brings_a_newcomer_in_with_one_link_then_revokes_it_and_removes_them()
    {
        await using var owner = await Person.Arrive(chromium, app, "Olga");
        await owner.Register();
        var roomUrl = await owner.CreateRoom("Inner circle", "Private");
        await owner.Composer.FillAsync("History before you came");
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(owner.Composer).ToHaveValueAsync("");

        await owner.Page.GetByText("Invite people").ClickAsync(); // folded until needed
        await owner.AllowClipboard();
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).ClickAsync();
        // The link comes in the room's panel (the room stays open), and Copy copies it.
        var field = owner.Page.GetByRole(AriaRole.Textbox, new() { Name = "Invite link" });
        await Expect(field).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/invite/"));
        Assert.Equal(roomUrl.ToString(), owner.Page.Url);
        var link = await field.InputValueAsync();
        Assert.StartsWith(app.BaseUrl + "/invite/", link);
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(owner.Page.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(link, await owner.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await owner.Page.GotoAsync(roomUrl.ToString());

        // A newcomer with no account opens the link signed out.
        await using var newcomer = await Person.Arrive(chromium, app, "Nina");
        await newcomer.Page.GotoAsync(link);
        await Expect(newcomer.Page.GetByRole(AriaRole.Heading, new() { Name = "Inner circle" })).ToBeVisibleAsync();
        await Expect(newcomer.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await newcomer.Page.GetByRole(AriaRole.Link, new() { Name = "Create account" }).ClickAsync();
        await newcomer.Page.GetByLabel("Email").FillAsync(newcomer.Email);
        await newcomer.Page.GetByLabel("Display name").FillAsync(newcomer.Name);
        await newcomer.Page.GetByLabel("Password").FillAsync(Person.Password);
        await newcomer.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await newcomer.ConfirmFromEmail();

        // The new account, confirmed from its email, joins the room it was invited to and lands in it.
        await Expect(newcomer.Page).ToHaveURLAsync(roomUrl + "#latest"); // at the newest message
        await Expect(newcomer.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("History before you came");
        await Expect(owner.Page.GetByLabel("Members")).ToContainTextAsync("Nina");

        // Revoked: the next person is turned away.
        await owner.Page.GetByRole(AriaRole.Link, new() { Name = "Room settings" }).ClickAsync();
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await using var third = await Person.Arrive(chromium, app, "Theo");
        await third.Register();
        var refused = await third.Page.GotoAsync(link);
        Assert.Equal(404, refused!.Status);
        await Expect(third.Page.GetByRole(AriaRole.Heading, new() { Name = "Invalid or expired invitation" })).ToBeVisibleAsync();

        // Removed: the newcomer's open page hears nothing more.
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Remove: Nina" }).ClickAsync();
        await Expect(owner.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed");
        // Her page was told why its socket closed, and stops reconnecting.
        await Expect(newcomer.Page.Locator("#connection")).ToContainTextAsync("You are not a member of this room any more");
        await owner.Page.GotoAsync(roomUrl.ToString());
        await owner.Composer.FillAsync("Said after Nina left");
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(owner.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("Said after Nina left");
        await Expect(newcomer.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).Not.ToContainTextAsync("Said after Nina left");
        await newcomer.Page.ReloadAsync();
        await Expect(newcomer.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        Assert.DoesNotMatch(new Regex("/invite/"), newcomer.Page.Url);
    }
}
