using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Notes;

/// <summary>The notes a room keeps for its agents, written from the room's details without leaving the room.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotesBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_member_opens_the_notes_in_the_rooms_details_and_adds_one_in_place()
    {
        await using var nora = await Person.Arrive(chromium, app, "Nora Notes");
        await nora.Register();
        var roomUrl = await nora.CreateRoom("Noted", "Private");
        await Expect(nora.Composer).ToBeVisibleAsync();

        await nora.Page.GetByText("Agent notes").ClickAsync();
        var fold = nora.Page.Locator(".room-fold", new() { Has = nora.Page.GetByText("Agent notes") });
        await fold.GetByLabel("New note").FillAsync("Our style guide lives in the wiki.");
        await fold.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(fold.GetByRole(AriaRole.List, new() { Name = "Notes" }).GetByRole(AriaRole.Textbox)).ToHaveValueAsync("Our style guide lives in the wiki.");
        await Expect(nora.Page).ToHaveURLAsync(new Regex(Regex.Escape(roomUrl.AbsolutePath) + "$")); // still in the room

        // A refused note says why, in place.
        await fold.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(fold.Locator("#note-new-error")).ToHaveTextAsync("Write the note first.");
        Assert.Empty(await AccessibilityTests.EveryView(nora.Page, "notes"));
        Assert.All(nora.Problems, problem => Assert.Contains("422", problem));
    }
}
