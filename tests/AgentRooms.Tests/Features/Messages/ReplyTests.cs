using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Messages;

public sealed class ReplyTestsOnSqlite(SqliteAppFactory app) : ReplyTests(app), IClassFixture<SqliteAppFactory>;

public sealed class ReplyTestsOnMariaDb(MariaDbAppFactory app) : ReplyTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Quote-replies: the reply shows its original, the quoted person hears of it, an agent replied to answers.</summary>
public abstract class ReplyTests(AppFactory app)
{
    private async Task<long> IdOf(int roomId, string content) =>
        await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == content).Select(m => m.Id).SingleAsync());

    private static async Task<Visitor.Page> Reply(Visitor visitor, int roomId, long quoted, string content)
    {
        var page = await visitor.Get($"/rooms/{roomId}?reply={quoted}");
        return await page.Submit(visitor, "Send", new Dictionary<string, string> { ["Composer.Content"] = content });
    }

    [Fact]
    public async Task A_reply_shows_its_original_and_puts_itself_in_the_quoted_persons_mentions_with_and_without_a_socket()
    {
        var (ada, _) = await app.SignedInPerson("Ada Quoted");
        var (bob, _) = await app.SignedInPerson("Bob Replier");
        var roomId = await ada.CreateRoom("Replies room", "Public");
        await bob.Join(roomId);
        await ada.Send(roomId, "Lunch at noon?\nSecond line is not quoted");
        var original = await IdOf(roomId, "Lunch at noon?\nSecond line is not quoted");

        // Without JavaScript: ?reply= puts the quote above the box, and the form carries it.
        var composing = await bob.Get($"/rooms/{roomId}?reply={original}");
        Assert.Equal("Replying to Ada Quoted: Lunch at noon?",
            string.Join(' ', composing.Document.QuerySelector("#composer-quote .composer-quote-text")!.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(original.ToString(), composing.Document.QuerySelector("#composer-quote-id")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Redirect, (await Reply(bob, roomId, original, "Yes, noon works")).Status);

        // Over the socket, as room.js sends it.
        await using var socket = await LiveSocket.Open(app, bob, roomId);
        await socket.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync()));
        await socket.SendJson(new { type = "send", content = "And I'll bring cake", clientMessageId = Guid.NewGuid(), quote = original });
        var pushed = (await socket.Collect(IsAppend, 1))[0];
        Assert.Contains($"data-quote=\"{original}\"", pushed);

        // Ada has not read them yet: her shell counts them (opening the room reads them).
        Assert.Equal("Mentions, 2 unread", (await ada.Get("/rooms/nav")).Document.QuerySelector("a[href='/mentions']")!.GetAttribute("aria-label"));
        var page = await ada.Get($"/rooms/{roomId}");
        foreach (var reply in new[] { "Yes, noon works", "And I'll bring cake" })
        {
            var article = page.Document.GetElementById($"message-{await IdOf(roomId, reply)}")!;
            var quote = article.QuerySelector("a.quote")!;
            Assert.Equal($"/rooms/{roomId}?at={original}#message-{original}", quote.GetAttribute("href"));
            Assert.Equal("Ada Quoted", quote.QuerySelector(".quote-author")!.TextContent);
            Assert.Equal("Lunch at noon?", quote.QuerySelector(".quote-text")!.TextContent.Trim());
        }
        var mentions = await ada.Get("/mentions");
        Assert.Equal(["And I'll bring cake", "Yes, noon works"],
            mentions.Document.QuerySelectorAll(".search-result .message-body").Select(b => b.TextContent.Trim()));

        // The original deleted: the reply says so, and keeps standing.
        await ada.Submit($"/rooms/{roomId}/messages/{original}", "Delete", new Dictionary<string, string>());
        var after = await bob.Get($"/rooms/{roomId}");
        Assert.Equal("This message was deleted.",
            after.Document.GetElementById($"message-{await IdOf(roomId, "Yes, noon works")}")!.QuerySelector(".quote-text")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_quote_of_another_rooms_message_or_of_a_deleted_one_is_dropped_and_the_message_still_sent()
    {
        var (ada, _) = await app.SignedInPerson("Ada Elsewhere");
        var (eve, _) = await app.SignedInPerson("Eve Quoter");
        var secret = await ada.CreateRoom("Secret quotes");
        await ada.Send(secret, "a secret line");
        var secretId = await IdOf(secret, "a secret line");
        var evesRoom = await eve.CreateRoom("Eve's quotes");
        await eve.Send(evesRoom, "soon gone");
        var gone = await IdOf(evesRoom, "soon gone");
        await eve.Submit($"/rooms/{evesRoom}/messages/{gone}", "Delete", new Dictionary<string, string>());

        // Eve cannot quote a room she is not in: not even its words reach her page.
        var peek = await eve.Get($"/rooms/{evesRoom}?reply={secretId}");
        Assert.True(peek.Document.QuerySelector("#composer-quote")!.HasAttribute("hidden"));
        Assert.DoesNotContain("a secret line", peek.Document.Body!.TextContent);
        var page = await eve.Get($"/rooms/{evesRoom}");
        foreach (var (quoted, text) in new[] { (secretId, "quoting a secret"), (gone, "quoting the deleted"), (long.MaxValue, "quoting nothing") })
            Assert.Equal(HttpStatusCode.Redirect, (await page.Submit(eve, "Send", new Dictionary<string, string>
            {
                ["Composer.Content"] = text, ["Composer.QuotedMessageId"] = quoted.ToString(), ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
            })).Status);
        var saved = await app.WithDb(db => db.Messages.Where(m => m.RoomId == evesRoom && m.Content.StartsWith("quoting")).Select(m => m.QuotedMessageId).ToListAsync());
        Assert.Equal([null, null, null], saved);
        Assert.Empty(await app.WithDb(db => db.PersonMentions.Where(p => p.RoomId == evesRoom).ToListAsync()));
    }

    [Fact]
    public async Task Replying_to_an_agents_message_asks_that_agent_as_a_mention_would()
    {
        var (ada, _) = await app.SignedInPerson("Ada Asks Again");
        var roomId = await ada.CreateRoom("Agent replies");
        var agentId = await app.CreateAgent(ada, "Quotable Owl", $"owl-{Guid.NewGuid():N}"[..12]);
        await ada.AddAgent(roomId, agentId);
        var answer = await app.WithDb(async db =>
        {
            var room = await db.Rooms.SingleAsync(r => r.Id == roomId);
            var message = new AgentRooms.Data.Messages.Message
            {
                RoomId = roomId, Seq = ++room.LastSeq, Kind = AgentRooms.Data.Messages.MessageKind.Agent, SenderAgentId = agentId,
                Content = "An earlier answer", ContentHtml = "<p>An earlier answer</p>", ReplyState = AgentRooms.Data.Messages.ReplyState.Done,
            };
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            return message.Id;
        });

        Assert.Equal(HttpStatusCode.Redirect, (await Reply(ada, roomId, answer, "Tell me more, without naming you")).Status);

        var trigger = await IdOf(roomId, "Tell me more, without naming you");
        Assert.Equal([agentId], await app.WithDb(db => db.AgentReplies.Where(r => r.TriggerMessageId == trigger).Select(r => r.AgentId).ToListAsync()));
        await app.JobsIdle();
    }
}
