using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Search;

public sealed class SearchTestsOnSqlite(SqliteAppFactory app) : SearchTests(app), IClassFixture<SqliteAppFactory>;

public sealed class SearchTestsOnMariaDb(MariaDbAppFactory app) : SearchTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Full-text search over what a person can read now, through the database's own index, on both providers.</summary>
public abstract class SearchTests
{
    private readonly AppFactory app;

    protected SearchTests(AppFactory app)
    {
        this.app = app;
        // On MariaDB the newest messages are read first and the full-text index asked for the rest: a
        // window of a few makes every test here go through both (it has no effect once the app runs).
        app.Settings["Search:RecentWindow"] = "3";
    }

    /// <summary>A word no other test writes (letters only, so every index keeps it whole).</summary>
    private static string Word() => "zq" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + c % 26)).Take(10).ToArray());

    private static async Task<Visitor.Page> Search(Visitor visitor, string query, int? room = null) =>
        await visitor.Get($"/search?q={Uri.EscapeDataString(query)}" + (room is { } id ? $"&room={id}" : ""));

    private static List<AngleSharp.Dom.IElement> Results(Visitor.Page page) =>
        page.Document.QuerySelectorAll(".search-result").ToList();

    private static string Text(AngleSharp.Dom.IElement result) => result.QuerySelector(".message-body")!.TextContent.Trim();

    private async Task<long> IdOf(int roomId, string content) =>
        await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == content).Select(m => m.Id).SingleAsync());

    [Fact]
    public async Task Results_come_from_the_searchers_rooms_only_newest_first_with_room_author_and_the_words_marked()
    {
        var word = Word();
        var (ada, _) = await app.SignedInPerson("Ada Searcher");
        var (eve, _) = await app.SignedInPerson("Eve Elsewhere");
        var shared = await ada.CreateRoom("Searchable lobby", "Public");
        var adasOwn = await ada.CreateRoom("Ada's notes");
        var evesSecret = await eve.CreateRoom("Eve's secret");
        var evesPublic = await eve.CreateRoom("Eve's open room", "Public");
        await eve.Join(shared);

        await ada.Send(shared, $"first {word} in the lobby");
        await eve.Send(shared, $"Eve says {word} too");
        await ada.Send(adasOwn, $"a private {word} of Ada's");
        await eve.Send(evesSecret, $"Eve's secret {word}");
        await eve.Send(evesPublic, $"Eve's public {word}, a room Ada never joined");

        var page = await Search(ada, word);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var results = Results(page);
        Assert.Equal([$"a private {word} of Ada's", $"Eve says {word} too", $"first {word} in the lobby"], results.Select(Text));
        var link = results[1].QuerySelector("a.result-link")!;
        Assert.Contains("Eve Elsewhere", link.TextContent);
        Assert.Contains("Searchable lobby", link.TextContent);
        Assert.Equal($"/rooms/{shared}?at={await IdOf(shared, $"Eve says {word} too")}#message-{await IdOf(shared, $"Eve says {word} too")}", link.GetAttribute("href"));
        Assert.Equal(word, results[1].QuerySelector(".message-body mark")!.TextContent);

        // Eve finds hers and the lobby's, never Ada's private room.
        Assert.Equal(4, Results(await Search(eve, word)).Count);
    }

    [Fact]
    public async Task A_room_left_is_no_longer_searched_nor_is_a_deleted_message_and_an_edit_is_found_by_its_new_words_only()
    {
        var (ada, _) = await app.SignedInPerson("Ada Owner");
        var (bob, _) = await app.SignedInPerson("Bob Leaver");
        var roomId = await ada.CreateRoom("Private planning");
        var invite = await ada.CreateInvite(roomId);
        await bob.AcceptInvite(invite);
        var (kept, gone, before, after) = (Word(), Word(), Word(), Word());
        await ada.Send(roomId, $"kept {kept}");
        await ada.Send(roomId, $"soon gone {gone}");
        await ada.Send(roomId, $"draft {before}");
        Assert.Single(Results(await Search(bob, kept)));

        var goneId = await IdOf(roomId, $"soon gone {gone}");
        Assert.Equal(HttpStatusCode.Redirect, (await ada.Submit($"/rooms/{roomId}/messages/{goneId}", "Delete", new Dictionary<string, string>())).Status);
        Assert.Empty(Results(await Search(ada, gone)));

        var draftId = await IdOf(roomId, $"draft {before}");
        Assert.Equal(HttpStatusCode.Redirect, (await ada.Submit($"/rooms/{roomId}/messages/{draftId}", "Save",
            new Dictionary<string, string> { ["Content"] = $"final {after}" })).Status);
        Assert.Empty(Results(await Search(ada, before)));
        Assert.Equal([$"final {after}"], Results(await Search(ada, after)).Select(Text));

        var left = await (await bob.Get($"/rooms/{roomId}")).Submit(bob, "Leave room", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, left.Status);
        var afterLeaving = await Search(bob, kept);
        Assert.Empty(Results(afterLeaving));
        Assert.Contains("No messages match", afterLeaving.Document.Body!.TextContent);
        Assert.Single(Results(await Search(ada, kept)));
    }

    [Fact]
    public async Task In_and_from_narrow_the_search_and_a_room_page_searches_its_room_alone()
    {
        var word = Word();
        var (ada, _) = await app.SignedInPerson("Ada Filter");
        var (bob, _) = await app.SignedInPerson("Bob Filtered");
        var kitchen = await ada.CreateRoom("Kitchen " + word[..6], "Public");
        var garden = await ada.CreateRoom("Garden " + word[..6], "Public");
        await bob.Join(kitchen);
        await bob.Join(garden);
        await ada.Send(kitchen, $"Ada in the kitchen {word}");
        await bob.Send(kitchen, $"Bob in the kitchen {word}");
        await bob.Send(garden, $"Bob in the garden {word}");

        Assert.Equal([$"Bob in the kitchen {word}", $"Ada in the kitchen {word}"],
            Results(await Search(ada, $"{word} in:\"kitchen {word[..6]}\"")).Select(Text));
        Assert.Equal([$"Bob in the garden {word}", $"Bob in the kitchen {word}"],
            Results(await Search(ada, $"from:\"Bob Filtered\" {word}")).Select(Text));
        Assert.Equal([$"Bob in the garden {word}"], Results(await Search(ada, $"{word} from:bob in:garden")).Select(Text));
        // Filters alone list what passes them.
        Assert.Equal([$"Bob in the kitchen {word}"], Results(await Search(ada, $"from:\"Bob Filtered\" in:\"kitchen {word[..6]}\"")).Select(Text));

        Assert.Equal([$"Bob in the garden {word}"], Results(await Search(ada, word, garden)).Select(Text));
        var room = await ada.Get($"/rooms/{garden}");
        Assert.NotNull(room.Document.QuerySelector($"a[href='/search?room={garden}'][aria-label='Search this room']"));

        var unknown = await Search(ada, $"{word} in:nowhere-{word}");
        Assert.Empty(Results(unknown));
        Assert.Contains($"None of your rooms is called “nowhere-{word}”", unknown.Document.Body!.TextContent);

        // A room the searcher is not in cannot be searched, nor told apart from one that does not exist.
        var (eve, _) = await app.SignedInPerson("Eve Outsider");
        Assert.Equal(HttpStatusCode.NotFound, (await Search(eve, word, garden)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Search(eve, word, 999_999)).Status);
    }

    [Fact]
    public async Task Phrases_and_short_words_are_found_and_hostile_queries_are_answered_not_failed()
    {
        var word = Word();
        var (ada, _) = await app.SignedInPerson("Ada Phrases");
        var roomId = await ada.CreateRoom("Phrase room");
        await ada.Send(roomId, $"the quick {word} jumps");
        await ada.Send(roomId, $"{word} quick the jumps");
        await ada.Send(roomId, $"Tom & Jerry and {word} amp <b>bold</b>");

        Assert.Equal([$"the quick {word} jumps"], Results(await Search(ada, $"\"quick {word}\"")).Select(Text));
        Assert.Equal(3, Results(await Search(ada, word)).Count);
        Assert.Equal(2, Results(await Search(ada, $"{word} the")).Count);

        // Marking works on text, not on the HTML: the entity for "&" stays whole, and what was typed as HTML is text.
        var marked = Results(await Search(ada, $"{word} amp"))[0].QuerySelector(".message-body")!;
        Assert.Equal("Tom & Jerry and " + word + " amp <b>bold</b>", marked.TextContent.Trim());
        Assert.Equal([word, "amp"], marked.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.Empty(marked.QuerySelectorAll("b"));

        foreach (var hostile in new[]
        {
            "\"", "\"\"\"", "*", "NEAR(a b)", "a OR b AND NOT c", "-x +y", "col:value", "'; DROP TABLE Messages; --",
            "<script>alert(1)</script>", "%_\\", "in:", "from:", "in:\"", "(((", "^x", "x*", new string('a', 5000),
            string.Join(' ', Enumerable.Repeat(word, 50)), "🙂 emoji", "ünïcödé",
        })
        {
            var page = await Search(ada, hostile);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Empty(page.Document.QuerySelectorAll("script:not([src])"));
        }
        Assert.Equal(3, Results(await Search(ada, string.Join(' ', Enumerable.Repeat(word, 50)))).Count);
    }

    [Fact]
    public async Task A_result_opens_the_room_at_its_message_even_far_back_and_the_page_goes_on_from_there()
    {
        var word = Word();
        var (ada, _) = await app.SignedInPerson("Ada History");
        var roomId = await ada.CreateRoom("Long history");
        await app.WithDb(async db =>
        {
            var room = await db.Rooms.SingleAsync(r => r.Id == roomId);
            var adaId = await db.Users.Where(u => u.DisplayName == "Ada History").Select(u => u.Id).SingleAsync();
            for (var i = 1; i <= 120; i++)
            {
                room.LastSeq++;
                db.Messages.Add(new AgentRooms.Data.Messages.Message
                {
                    RoomId = roomId, Seq = room.LastSeq, SenderUserId = adaId, Content = i == 20 ? $"the old {word}" : $"filler {i}",
                });
            }
            return await db.SaveChangesAsync();
        });
        var hit = Results(await Search(ada, word)).Single();
        var href = hit.QuerySelector("a.result-link")!.GetAttribute("href")!;
        var page = await ada.Get(href);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var target = page.Document.GetElementById($"message-{await IdOf(roomId, $"the old {word}")}");
        Assert.NotNull(target);
        var shown = page.Document.QuerySelectorAll("#messages article").Select(a => long.Parse(a.GetAttribute("data-seq")!)).ToList();
        var targetSeq = long.Parse(target!.GetAttribute("data-seq")!);
        Assert.True(shown.First() < targetSeq && shown.Last() > targetSeq && shown.Last() < 121, string.Join(",", shown));
        Assert.Equal("true", page.Document.QuerySelector(".room")!.GetAttribute("data-history"));
        Assert.Equal(["Newer messages", "Latest"], page.Document.QuerySelectorAll("nav[aria-label='Newer messages'] a").Select(a => a.TextContent));

        // A recent message opens the latest page, which is live as ever.
        await ada.Send(roomId, $"the new {word}");
        var recent = await ada.Get(Results(await Search(ada, word))[0].QuerySelector("a.result-link")!.GetAttribute("href")!);
        Assert.Equal("false", recent.Document.QuerySelector(".room")!.GetAttribute("data-history"));
        Assert.Equal($"the new {word}", recent.Document.QuerySelectorAll("#messages article .message-body").Last().TextContent.Trim());
    }
}
