using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>Editing and deleting where the message stands, and a conversation that is easy to scan.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InPlaceTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task An_author_edits_in_place_with_the_keyboard_and_deletes_with_a_moment_to_undo()
    {
        await using var alice = await Person.Arrive(chromium, app, "Editor");
        await using var bob = await Person.Arrive(chromium, app, "Onlooker");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Second thoughts", "Public");
        await bob.Join(roomUrl);
        await alice.Say("first draft");
        await alice.Say("keep me");
        var aliceLog = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]");
        var bobLog = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]");
        await Expect(bobLog).ToHaveCountAsync(2);

        // Only the author has Edit and Delete.
        await Expect(bobLog.First.GetByRole(AriaRole.Button, new() { Name = "Edit" })).ToHaveCountAsync(0);
        await Expect(bobLog.First.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);

        // Reachable by Tab from the message itself, not only on hover.
        var first = aliceLog.First;
        await first.GetByRole(AriaRole.Button, new() { Name = "Edit" }).FocusAsync();
        await alice.Page.Keyboard.PressAsync("Enter");
        var editor = first.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" });
        await Expect(editor).ToHaveValueAsync("first draft");
        await editor.FillAsync("final **draft**");
        await editor.PressAsync("Enter");
        await Expect(bobLog.First).ToContainTextAsync("final draft");
        await Expect(bobLog.First.Locator("strong")).ToHaveTextAsync("draft");
        await Expect(bobLog.First).ToContainTextAsync("(edited)");
        await Expect(first.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" })).ToHaveCountAsync(0);

        // ↑ in the empty composer edits the last message; Esc leaves it as it was.
        await alice.Composer.FocusAsync();
        await alice.Composer.PressAsync("ArrowUp");
        var last = aliceLog.Last.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" });
        await Expect(last).ToHaveValueAsync("keep me");
        await last.PressAsync("Escape");
        await Expect(last).ToHaveCountAsync(0);
        await Expect(aliceLog.Last).ToContainTextAsync("keep me");
        await Expect(alice.Composer).ToBeFocusedAsync(); // back where the edit began

        // Delete, then Undo: nothing happened, for anyone.
        await aliceLog.Last.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(aliceLog.Last).ToBeHiddenAsync();
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(aliceLog.Last).ToBeVisibleAsync();
        await Expect(aliceLog.Last).ToContainTextAsync("keep me");

        // Delete and let it go: everyone sees it deleted.
        await aliceLog.Last.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(bobLog.Last).ToContainTextAsync("This message was deleted.", new() { Timeout = 15_000 });
        await Expect(aliceLog.Last).ToContainTextAsync("This message was deleted.");
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Undo" })).ToHaveCountAsync(0);
        var roomId = int.Parse(roomUrl.Segments[^1]);
        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.DeletedAt != null)));
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task Consecutive_messages_group_under_one_name_days_are_separated_and_times_agree_between_pages()
    {
        await using var alice = await Person.Arrive(chromium, app, "Ada Lovelace");
        await using var bob = await Person.Arrive(chromium, app, "Bob");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Easy reading", "Public");
        await app.Post(alice.Email, roomUrl, 1, "Yesterday's news");
        await app.WithDb(db => db.Messages.Where(m => m.Content == "Yesterday's news 1")
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.CreatedAt, x => x.CreatedAt.AddDays(-1))));
        await bob.Join(roomUrl);
        await alice.Page.ReloadAsync();

        foreach (var text in new[] { "one", "two", "three" })
        {
            await alice.Say(text);
        }
        await bob.Say("my turn");
        await alice.Say("and mine again");

        var log = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        var articles = log.Locator("article[data-seq]");
        await Expect(articles).ToHaveCountAsync(6);
        var continued = await articles.EvaluateAllAsync<bool[]>("all => all.map(a => a.classList.contains('continued'))");
        Assert.Equal([false, false, true, true, false, false], continued);
        await Expect(log.GetByRole(AriaRole.Separator)).ToHaveTextAsync(["Yesterday", "Today"]);
        await Expect(articles.Nth(1).Locator(".avatar")).ToHaveTextAsync("AL");
        await Expect(articles.Nth(4).Locator(".avatar")).ToHaveTextAsync("B");
        // Grouped messages keep their author's name for assistive technology.
        await Expect(bob.Page.GetByRole(AriaRole.Article, new() { Name = "Ada Lovelace" })).ToHaveCountAsync(5);

        // The same moment reads the same on the room page and on the message's own page, in local time.
        var shown = await articles.Nth(2).Locator("time").TextContentAsync();
        Assert.Matches(new Regex(@"^\d{1,2}:\d{2}( [AP]M)?$"), shown); // a time of day, not "… UTC"
        await bob.Page.GotoAsync((await articles.Nth(2).Locator(".message-link").GetAttributeAsync("href"))!);
        await Expect(bob.Page.Locator("article time")).ToHaveTextAsync(shown!);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task The_first_Tab_offers_a_skip_to_the_message_box()
    {
        await using var carol = await Person.Arrive(chromium, app, "Keyboarder");
        await carol.Register();
        await carol.CreateRoom("Keys only", "Private");
        await carol.Page.Locator("body").FocusAsync();

        await carol.Page.Keyboard.PressAsync("Tab");
        var skip = carol.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to the message box" });
        await Expect(skip).ToBeFocusedAsync();
        await carol.Page.Keyboard.PressAsync("Enter");
        await Expect(carol.Composer).ToBeFocusedAsync();
    }
}
