using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>Reading back: older messages a page at a time, and the reader's place kept.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Scrolling_up_loads_a_page_at_a_time_and_the_message_being_read_stays_where_it_was()
    {
        await using var alice = await Person.Arrive(chromium, app, "Archivist");
        await alice.Register();
        var roomUrl = await alice.CreateRoom("Long history", "Private");
        await app.Post(alice.Email, roomUrl, 120, "Entry");
        await alice.Page.GotoAsync(roomUrl.ToString());
        var articles = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article);
        await Expect(articles).ToHaveCountAsync(50);
        await Expect(articles.First).ToContainTextAsync("Entry 71");
        var messages = alice.Page.Locator("#messages");
        await alice.Page.WaitForFunctionAsync("() => { const m = document.getElementById('messages'); return m.scrollHeight - m.scrollTop - m.clientHeight < 2; }");
        // The top of the history ("Load older messages", later "the beginning") scrolls with it, out of view at the end.
        await Expect(alice.Page.Locator("#messages > #older:first-child")).Not.ToBeInViewportAsync();

        // At the top, the page before comes in above, and "Entry 71" has not moved.
        var reading = articles.Filter(new() { HasText = "Entry 71" });
        // Measured in the same turn as the scroll, before anything can load.
        var before = await messages.EvaluateAsync<double>(
            "m => { m.scrollTop = 0; return [...m.querySelectorAll('article')].find(a => a.querySelector('.message-body').textContent.trim() === 'Entry 71').getBoundingClientRect().top; }");
        await Expect(articles).ToHaveCountAsync(100);
        await Expect(articles.First).ToContainTextAsync("Entry 21");
        await alice.Page.WaitForFunctionAsync("() => !document.querySelector('#older.htmx-request')");
        Assert.Equal(before, (await reading.BoundingBoxAsync())!.Y, 2.0);

        // The rest, and then the beginning.
        await messages.EvaluateAsync("m => { m.scrollTop = 0; }");
        await Expect(articles).ToHaveCountAsync(120);
        await Expect(articles.First).ToContainTextAsync("Entry 1");
        await Expect(alice.Page.Locator("#messages > #older:first-child")).ToHaveTextAsync("This is the beginning of the room.");
        await Expect(alice.Page.GetByText("This is the beginning of the room.")).ToBeVisibleAsync();
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task Without_javascript_a_room_opened_from_the_rooms_list_shows_its_newest_message()
    {
        await using var dora = await Person.Arrive(chromium, app, "Plain reader", javaScript: false);
        await dora.Register();
        var roomUrl = await dora.CreateRoom("Long and plain", "Private");
        await app.Post(dora.Email, roomUrl, 60, "Line");

        await dora.Page.GotoAsync("/rooms");
        await dora.Page.GetByRole(AriaRole.List, new() { Name = "Your rooms" }).GetByRole(AriaRole.Link, new() { Name = "Long and plain" }).ClickAsync();

        var newest = dora.Page.Locator("article[data-seq]").Filter(new() { HasText = "Line 60" });
        await Expect(newest).ToBeInViewportAsync();
        await Expect(dora.Page.Locator("article[data-seq]").Filter(new() { HasText = "Line 11" })).Not.ToBeInViewportAsync();
    }
}
