using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Rooms;

/// <summary>Coming back to a room: a "New" line where the messages one had not read begin.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UnreadLineTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_room_opened_with_unread_messages_shows_where_they_begin_until_the_next_visit()
    {
        await using var alice = await Person.Arrive(chromium, app, "Alice");
        await using var bob = await Person.Arrive(chromium, app, "Bob");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Coming back", "Public");
        await bob.Join(roomUrl);
        await alice.Say("See you after lunch");
        await app.Post(bob.Email, roomUrl, 1, "Enjoy");
        await alice.Page.ReloadAsync(); // opening the room reads all of it
        await Expect(alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("Enjoy 1");
        await alice.Page.GotoAsync("/rooms");
        await app.Post(bob.Email, roomUrl, 3, "While you were out");

        await alice.Page.GotoAsync(roomUrl.ToString());
        var log = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        var line = log.GetByRole(AriaRole.Separator, new() { Name = "New messages" });
        await Expect(line).ToBeVisibleAsync();
        // Right above Bob's first new one, which shows his name again although it follows his last read one.
        var first = alice.Page.Locator("#unread + article");
        await Expect(first).ToContainTextAsync("While you were out 1");
        await Expect(first.Locator(".message-author")).ToBeVisibleAsync();

        var found = await AccessibilityTests.EveryView(alice.Page, "unread-line");
        Assert.True(found.Count == 0, string.Join("\n", found));

        await alice.Page.ReloadAsync();
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("While you were out 3");
        await Expect(line).ToHaveCountAsync(0);
        Assert.Empty(alice.Problems);
    }
}
