using System.Net;
using System.Text.Json;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Messages;

public sealed class SocketSendTestsOnSqlite(SqliteAppFactory app) : SocketSendTests(app), IClassFixture<SqliteAppFactory>;

public sealed class SocketSendTestsOnMariaDb(MariaDbAppFactory app) : SocketSendTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>A send over the room's socket is the composer's form post by another road: the same checks, once each.</summary>
public abstract class SocketSendTests(AppFactory app)
{
    [Fact]
    public async Task A_send_reaches_everyone_with_its_client_id_and_a_repeat_is_saved_once()
    {
        var (alice, _) = await app.SignedInPerson("Socket sender");
        var roomId = await alice.CreateRoom("Over the wire", "Public");
        var (bob, _) = await app.SignedInPerson("Socket reader");
        await bob.Join(roomId);
        await using var aliceSocket = await LiveSocket.Open(app, alice, roomId);
        await using var bobSocket = await LiveSocket.Open(app, bob, roomId);
        await aliceSocket.Resume(0);
        await bobSocket.Resume(0);
        var id = Guid.NewGuid();

        await aliceSocket.SendJson(new { type = "send", content = "  hello **world**  ", clientMessageId = id });
        await aliceSocket.SendJson(new { type = "send", content = "  hello **world**  ", clientMessageId = id }); // the page sends again after a reconnect
        await aliceSocket.SendJson(new { type = "send", content = "second", clientMessageId = Guid.NewGuid() });

        var seen = await bobSocket.Collect(IsAppend, 2);
        Assert.Contains($"data-client-id=\"{id}\"", seen[0]);
        Assert.Contains("<strong>world</strong>", seen[0]);
        Assert.Contains("second", seen[1]);
        Assert.Equal(2, (await aliceSocket.Collect(IsAppend, 2)).Count);
        var saved = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind != MessageKind.System).OrderBy(m => m.Seq).Select(m => m.Content).ToListAsync());
        Assert.Equal(["hello **world**", "second"], saved);
    }

    [Fact]
    public async Task Sends_that_arrive_together_in_several_rooms_are_saved_once_each_in_order_and_pushed_as_the_page_shows_them()
    {
        // Sends that arrive while a save is under way are saved together (group commit): four pages
        // sending at once in two rooms, with a repeated send among them, make batches of mixed rooms.
        var (alice, _) = await app.SignedInPerson("Batch Alice");
        var (bob, _) = await app.SignedInPerson("Batch Bob");
        int[] rooms = [await alice.CreateRoom("Batch one", "Public"), await alice.CreateRoom("Batch two", "Public")];
        var pages = new List<(LiveSocket Socket, int RoomId, string Who)>();
        foreach (var roomId in rooms)
        {
            await bob.Join(roomId);
            pages.Add((await LiveSocket.Open(app, alice, roomId), roomId, "alice"));
            pages.Add((await LiveSocket.Open(app, bob, roomId), roomId, "bob"));
        }
        foreach (var page in pages)
            await page.Socket.Resume(0);
        var repeated = Guid.NewGuid();

        await Task.WhenAll(pages.Select(async page =>
        {
            for (var i = 0; i < 10; i++)
            {
                var id = page.Who == "alice" && page.RoomId == rooms[0] && i is 3 or 4 ? repeated : Guid.NewGuid();
                await page.Socket.SendJson(new { type = "send", content = $"{page.Who} {i}", clientMessageId = id });
            }
        }));

        foreach (var (socket, roomId, who) in pages)
        {
            var expected = roomId == rooms[0] ? 19 : 20; // "alice 4" repeated "alice 3"'s id: it returns that message
            var heard = await socket.Collect(IsAppend, expected);
            var saved = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.User)
                .OrderBy(m => m.Seq).Select(m => new { m.Seq, m.Content }).ToListAsync());
            Assert.Equal(saved.Select(m => m.Seq), heard.Select(SeqOf));
            Assert.Equal(saved.Count, saved.Select(m => m.Seq).Distinct().Count());
            foreach (var sender in new[] { "alice", "bob" })
            {
                var theirs = saved.Where(m => m.Content.StartsWith(sender)).Select(m => m.Content).ToList();
                Assert.Equal(Enumerable.Range(0, 10).Where(i => !(sender == "alice" && roomId == rooms[0] && i == 4)).Select(i => $"{sender} {i}"), theirs);
            }
            // Pushed as the page shows it: the same author and the same time, to the microsecond.
            var shown = (await alice.Get($"/rooms/{roomId}")).Document;
            foreach (var fragment in heard.Take(3))
            {
                var pushed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(fragment).QuerySelector("article")!;
                var onPage = shown.QuerySelector($"article[data-seq='{SeqOf(fragment)}']")!;
                Assert.Equal(pushed.QuerySelector("time")!.GetAttribute("datetime"), onPage.QuerySelector("time")!.GetAttribute("datetime"));
                Assert.Equal(pushed.QuerySelector(".message-author")!.TextContent, onPage.QuerySelector(".message-author")!.TextContent);
            }
        }
        foreach (var page in pages)
            await page.Socket.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_send_is_answered_to_the_sender_alone_and_nothing_is_saved()
    {
        var (alice, _) = await app.SignedInPerson("Too long");
        var roomId = await alice.CreateRoom("Limits hold", "Public");
        var (bob, _) = await app.SignedInPerson("Bystander");
        await bob.Join(roomId);
        await using var aliceSocket = await LiveSocket.Open(app, alice, roomId);
        await using var bobSocket = await LiveSocket.Open(app, bob, roomId);
        await aliceSocket.Resume(0);
        await bobSocket.Resume(0);
        var tooLong = Guid.NewGuid();
        var empty = Guid.NewGuid();

        await aliceSocket.SendJson(new { type = "send", content = new string('é', Message.ContentMaxLength + 1), clientMessageId = tooLong });
        await aliceSocket.SendJson(new { type = "send", content = "   ", clientMessageId = empty });
        await aliceSocket.SendJson(new { type = "send", content = "no id" });
        await aliceSocket.SendJson(new { type = "send", content = "fine", clientMessageId = Guid.NewGuid() });

        var notes = (await aliceSocket.Collect(f => f.StartsWith('{'), 3)).Select(f => JsonDocument.Parse(f).RootElement).ToList();
        Assert.All(notes, n => Assert.Equal("not-sent", n.GetProperty("type").GetString()));
        Assert.Equal(tooLong, notes[0].GetProperty("clientMessageId").GetGuid());
        Assert.Contains("at most 4000 characters", notes[0].GetProperty("reason").GetString());
        Assert.Equal(empty, notes[1].GetProperty("clientMessageId").GetGuid());
        Assert.Equal("Write something first.", notes[1].GetProperty("reason").GetString());
        Assert.Equal("Reload the page and send again.", notes[2].GetProperty("reason").GetString());
        // Bob hears of the one that was saved, and of nothing else.
        var bobSaw = await bobSocket.Collect(f => IsAppend(f) || f.StartsWith('{'), 1);
        Assert.Contains("fine", WebUtility.HtmlDecode(bobSaw[0]));
        Assert.Equal(["fine"], await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind != MessageKind.System).Select(m => m.Content).ToListAsync()));
    }

    [Fact]
    public async Task A_send_from_someone_removed_from_the_room_is_refused()
    {
        var (owner, _) = await app.SignedInPerson("Owner");
        var roomId = await owner.CreateRoom("Removals", "Public");
        var (mallory, email) = await app.SignedInPerson("Removed");
        await mallory.Join(roomId);
        var malloryId = await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await using var socket = await LiveSocket.Open(app, mallory, roomId);
        await socket.Resume(0);
        // The socket is past its membership check once it sends who is here.
        await socket.Collect(f => f.Contains("id=\"members\""), 1);
        await app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == malloryId).ExecuteDeleteAsync());

        await socket.SendJson(new { type = "send", content = "still here?", clientMessageId = Guid.NewGuid() });

        var note = JsonDocument.Parse((await socket.Collect(f => f.StartsWith('{'), 1))[0]).RootElement;
        Assert.Equal("You are not a member of this room.", note.GetProperty("reason").GetString());
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind != MessageKind.System)));
    }
}
