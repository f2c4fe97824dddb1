using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Reactions;

public sealed class ReactionTestsOnSqlite(SqliteAppFactory app) : ReactionTests(app), IClassFixture<SqliteAppFactory>;

public sealed class ReactionTestsOnMariaDb(MariaDbAppFactory app) : ReactionTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Reactions: added and taken back once whatever the repeats or the races, live for the room, only for its members.</summary>
public abstract class ReactionTests(AppFactory app)
{
    /// <summary>A push of a message's reactions alone (whole messages carry theirs too: appends, edits, catch-up).</summary>
    private static bool IsReactions(string fragment) => fragment.TrimStart().StartsWith("<div class=\"reactions\"");

    private async Task<long> IdOf(int roomId, string content) =>
        await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == content).Select(m => m.Id).SingleAsync());

    private static async Task<Visitor.Page> React(Visitor visitor, int roomId, long messageId, string text, bool on = true, bool script = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await visitor.AnyToken(), ["text"] = text, ["on"] = on ? "true" : "false",
        };
        if (!script)
            return await visitor.Post($"/rooms/{roomId}/messages/{messageId}/reactions", fields);
        return await visitor.PostAsHtmx($"/rooms/{roomId}/messages/{messageId}/reactions", fields);
    }

    private Task<List<(string UserId, string Text)>> Stored(long messageId) =>
        app.WithDb(db => db.Reactions.Where(r => r.MessageId == messageId).OrderBy(r => r.Text).ThenBy(r => r.UserId)
            .Select(r => new ValueTuple<string, string>(r.UserId, r.Text)).ToListAsync());

    /// <summary>The toggles of a message as the page shows them to its viewer: (accessible name, pressed, title).</summary>
    private static async Task<List<(string Name, string Pressed, string Title)>> Toggles(Visitor visitor, int roomId, long messageId) =>
        (await visitor.Get($"/rooms/{roomId}")).Document.QuerySelectorAll($"#reactions-{messageId} button.reaction")
            .Select(b => (b.GetAttribute("aria-label")!, b.GetAttribute("aria-pressed")!, b.GetAttribute("title")!)).ToList();

    [Fact]
    public async Task A_reaction_is_added_once_however_often_it_is_sent_shows_who_gave_it_and_is_taken_back_once()
    {
        var (ada, _) = await app.SignedInPerson("Ada Reacts");
        var (bob, _) = await app.SignedInPerson("Bob Reacts");
        var roomId = await ada.CreateRoom("Reacting room", "Public");
        await bob.Join(roomId);
        await ada.Send(roomId, "ship it?");
        var messageId = await IdOf(roomId, "ship it?");

        // Without JavaScript: the form post comes back to the room at the message.
        var added = await React(bob, roomId, messageId, "👍");
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        Assert.Equal($"/rooms/{roomId}?at={messageId}#message-{messageId}", added.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await React(bob, roomId, messageId, "👍")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await React(ada, roomId, messageId, "👍", script: true)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await React(ada, roomId, messageId, " ship it! ", script: true)).Status);
        Assert.Equal(3, (await Stored(messageId)).Count);

        Assert.Equal([("👍 2, you reacted", "true", "Bob Reacts, Ada Reacts"), ("ship it! 1, you reacted", "true", "Ada Reacts")],
            await Toggles(ada, roomId, messageId));
        Assert.Equal([("👍 2, you reacted", "true", "Bob Reacts, Ada Reacts"), ("ship it! 1", "false", "Ada Reacts")],
            await Toggles(bob, roomId, messageId));
        // Bob's toggle of "ship it!" adds his; his 👍 takes his back (the form says which, without JavaScript).
        var bobsPage = await bob.Get($"/rooms/{roomId}");
        Assert.Equal(["false", "true"], bobsPage.Document.QuerySelectorAll($"#reactions-{messageId} input[name='on']").Select(i => i.GetAttribute("value")));

        Assert.Equal(HttpStatusCode.Redirect, (await React(bob, roomId, messageId, "👍", on: false)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await React(bob, roomId, messageId, "👍", on: false)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await React(ada, roomId, messageId, "ship it!", on: false, script: true)).Status);
        Assert.Equal([("👍 1, you reacted", "true", "Ada Reacts")], await Toggles(ada, roomId, messageId));
        Assert.Single(await Stored(messageId));

        // Emoji that the database's usual collation would weigh alike stay apart.
        foreach (var emoji in new[] { "🎉", "😂", "🙂", "🚀", "Nice", "nice" })
            await React(ada, roomId, messageId, emoji, script: true);
        Assert.Equal(7, (await Stored(messageId)).Count);
    }

    [Fact]
    public async Task Concurrent_toggles_settle_exactly_and_the_room_sees_each_change_as_the_reactions_now_stand()
    {
        var (ada, _) = await app.SignedInPerson("Ada Races");
        var people = new List<Visitor>();
        var roomId = await ada.CreateRoom("Racing reactions", "Public");
        for (var i = 0; i < 4; i++)
        {
            var (person, _) = await app.SignedInPerson($"Racer {i}");
            await person.Join(roomId);
            people.Add(person);
        }
        await ada.Send(roomId, "race here");
        var messageId = await IdOf(roomId, "race here");
        await using var watcher = await LiveSocket.Open(app, ada, roomId);
        await watcher.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync()));

        // Each person adds 🎉 five times at once, and the same person adds and removes 👀 at once.
        var sends = people.SelectMany(p => Enumerable.Range(0, 5).Select(_ => React(p, roomId, messageId, "🎉", script: true))).ToList();
        sends.Add(React(people[0], roomId, messageId, "👀", script: true));
        await Task.WhenAll(sends);
        Assert.All(sends, s => Assert.Equal(HttpStatusCode.NoContent, s.Result.Status));
        await Task.WhenAll(people.Select(p => React(p, roomId, messageId, "👀", on: false, script: true)));

        var stored = await Stored(messageId);
        Assert.Equal(4, stored.Count(r => r.Text == "🎉"));
        Assert.DoesNotContain(stored, r => r.Text == "👀");
        // One fragment per change, the last one as the reactions now stand.
        var fragments = await watcher.Collect(IsReactions, sends.Count + people.Count);
        Assert.All(fragments, f => Assert.Contains($"id=\"reactions-{messageId}\"", f));
        Assert.All(fragments, f => Assert.Contains("hx-swap-oob=\"true\"", f));
        var last = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(fragments[^1]);
        Assert.Equal(["🎉 4"], last.QuerySelectorAll("button.reaction").Select(b => b.GetAttribute("aria-label")));
    }

    [Fact]
    public async Task Only_members_react_only_to_messages_of_that_room_and_bad_reactions_are_refused_with_nothing_stored()
    {
        var (ada, _) = await app.SignedInPerson("Ada Guards");
        var (eve, _) = await app.SignedInPerson("Eve Intruder");
        var secret = await ada.CreateRoom("Guarded room");
        var open = await ada.CreateRoom("Open guarded room", "Public");
        var evesOwn = await eve.CreateRoom("Eve's room");
        await ada.Send(secret, "private words");
        await ada.Send(open, "public words");
        await ada.Send(open, "soon deleted");
        var secretId = await IdOf(secret, "private words");
        var openId = await IdOf(open, "public words");
        var deletedId = await IdOf(open, "soon deleted");
        await ada.Submit($"/rooms/{open}/messages/{deletedId}", "Delete", new Dictionary<string, string>());
        var joinLine = await app.WithDb(db => db.Messages.Where(m => m.RoomId == open && m.Kind == MessageKind.System).Select(m => (long?)m.Id).FirstOrDefaultAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await React(eve, secret, secretId, "👍")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await React(eve, open, openId, "👍")).Status); // a public room she has not joined
        Assert.Equal(HttpStatusCode.NotFound, (await React(eve, evesOwn, secretId, "👍")).Status); // her room, another room's message
        Assert.Equal(HttpStatusCode.NotFound, (await React(ada, open, secretId, "👍")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await React(ada, open, deletedId, "👍", script: true)).Status);
        if (joinLine is { } line)
            Assert.Equal(HttpStatusCode.NotFound, (await React(ada, open, line, "👍")).Status);

        foreach (var bad in new[] { "", "   ", new string('x', 17), "a\u0007b", "\u202Eevil", "line\nbreak", string.Concat(Enumerable.Repeat("👍", 17)) })
        {
            var refused = await React(ada, open, openId, bad, script: true);
            Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity, $"{(int)refused.Status} for {bad}: {refused.Document.Body?.TextContent}");
            Assert.False(string.IsNullOrWhiteSpace(await refused.Response.Content.ReadAsStringAsync()));
        }
        var page = await React(ada, open, openId, new string('x', 17));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.Contains("at most 16 characters", page.Document.Body!.TextContent);
        Assert.Equal(HttpStatusCode.NoContent, (await React(ada, open, openId, "👨‍👩‍👧‍👦🇫🇷", script: true)).Status); // joiners and flags are characters too
        Assert.Equal(["👨‍👩‍👧‍👦🇫🇷"], (await Stored(openId)).Select(r => r.Text));
        Assert.Empty(await Stored(secretId));

        // A message takes so many different reactions, and no more; more of one it has are fine.
        for (var i = 1; i < 20; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await React(ada, open, openId, $"r{i}", script: true)).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await React(ada, open, openId, "one more", script: true)).Status);
        Assert.Equal(20, (await Stored(openId)).Count);
    }

    [Fact]
    public async Task An_agents_reply_can_be_reacted_to_and_its_message_page_offers_the_palette_without_javascript()
    {
        var (ada, _) = await app.SignedInPerson("Ada Agent Fan");
        var roomId = await ada.CreateRoom("Agent reactions");
        var agentId = await app.CreateAgent(ada, "Reactable", "reactable");
        var replyId = await app.WithDb(async db =>
        {
            var room = await db.Rooms.SingleAsync(r => r.Id == roomId);
            var reply = new Message { RoomId = roomId, Seq = ++room.LastSeq, Kind = MessageKind.Agent, SenderAgentId = agentId, Content = "an answer", ContentHtml = "<p>an answer</p>", ReplyState = ReplyState.Done };
            db.Messages.Add(reply);
            await db.SaveChangesAsync();
            return reply.Id;
        });

        var messagePage = await ada.Get($"/rooms/{roomId}/messages/{replyId}");
        Assert.NotNull(messagePage.Document.QuerySelector("#react form button[value='👍']"));
        var reacted = await messagePage.Submit(ada, "Add", new Dictionary<string, string> { ["custom"] = "🦉 wise" });
        Assert.Equal(HttpStatusCode.Redirect, reacted.Status);
        Assert.Equal([("🦉 wise 1, you reacted", "true", "Ada Agent Fan")], await Toggles(ada, roomId, replyId));
    }
}
