using System.Net;
using System.Net.WebSockets;
using AgentRooms.Tests.Support;
using static AgentRooms.Tests.Support.LiveSocket;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Realtime;

public sealed class RoomSocketTestsOnSqlite(SqliteAppFactory app) : RoomSocketTests(app), IClassFixture<SqliteAppFactory>;

public sealed class RoomSocketTestsOnMariaDb(MariaDbAppFactory app) : RoomSocketTests(app), IClassFixture<MariaDbAppFactory>;

public abstract class RoomSocketTests(AppFactory app)
{
    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task A_socket_from_another_origin_or_none_is_refused_before_the_upgrade(string? origin)
    {
        var (owner, _) = await app.SignedInPerson("Origin");
        var roomId = await owner.CreateRoom("Origins");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => LiveSocket.Open(app, owner, roomId, origin));

        Assert.Contains("403", refused.Message);
    }

    [Fact]
    public async Task A_person_holds_at_most_twenty_sockets_and_opening_another_closes_their_oldest()
    {
        var (owner, _) = await app.SignedInPerson("Many tabs");
        var roomId = await owner.CreateRoom("Tabs");
        var sockets = new List<LiveSocket>();
        try
        {
            // The server registers a socket just after its handshake, so sockets opened back to back may
            // register in another order: each group is seen to hear the room before the next one opens.
            async Task OpenHearing(int count, string said)
            {
                var opened = new List<LiveSocket>();
                for (var i = 0; i < count; i++)
                {
                    opened.Add(await LiveSocket.Open(app, owner, roomId));
                    await opened[^1].Resume(0);
                }
                sockets.AddRange(opened);
                await owner.Send(roomId, said);
                foreach (var socket in opened)
                    await socket.Collect(f => IsAppend(f) && f.Contains(said), 1);
            }
            await OpenHearing(1, "the oldest hears");
            await OpenHearing(19, "twenty hear");
            sockets.Add(await LiveSocket.Open(app, owner, roomId));
            await sockets[^1].Resume(0);

            var (status, _) = await sockets[0].UntilClosed();

            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
            Assert.Equal("too many open pages", sockets[0].Socket.CloseStatusDescription);
            await owner.Send(roomId, "the newest still hears");
            await sockets[^1].Collect(f => IsAppend(f) && f.Contains("the newest still hears"), 1);
        }
        finally
        {
            foreach (var socket in sockets)
                await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_socket_without_a_session_is_never_accepted()
    {
        var (owner, _) = await app.SignedInPerson("Cookieless");
        var roomId = await owner.CreateRoom("Anonymous");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => LiveSocket.Open(app, visitor: null, roomId));

        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public async Task A_socket_ended_by_the_server_unasked_is_closed_with_a_code_the_page_retries()
    {
        var (member, _) = await app.SignedInPerson("Silent Page");
        var roomId = await member.CreateRoom("Never resumed");

        // A page that never says where it is (its first frame lost): the server gives up after its wait.
        await using var socket = await LiveSocket.Open(app, member, roomId);
        var (status, _) = await socket.UntilClosed(TimeSpan.FromSeconds(30));

        Assert.Equal((WebSocketCloseStatus)1013, status); // htmx retries 1006, 1011, 1012 and 1013; a 1000 left the page "Reconnecting…" for good
    }

    [Fact]
    public async Task An_outsiders_socket_is_closed_with_1008_and_hears_nothing_of_the_room()
    {
        var (owner, _) = await app.SignedInPerson("Private");
        var roomId = await owner.CreateRoom("Members only");
        var (outsider, _) = await app.SignedInPerson("Eavesdropper");

        await using var socket = await LiveSocket.Open(app, outsider, roomId);
        await owner.Send(roomId, "private words");
        var (status, fragments) = await socket.UntilClosed();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Empty(fragments);
    }

    [Fact]
    public async Task Members_receive_new_messages_live_in_order_the_sender_included()
    {
        var (alice, _) = await app.SignedInPerson("Live");
        var roomId = await alice.CreateRoom("Live room", "Public");
        var (bob, _) = await app.SignedInPerson("Listener");
        await bob.Join(roomId);
        await using var aliceSocket = await LiveSocket.Open(app, alice, roomId);
        await using var bobSocket = await LiveSocket.Open(app, bob, roomId);
        await aliceSocket.Resume(0);
        await bobSocket.Resume(0);

        for (var i = 1; i <= 5; i++)
            await (i % 2 == 0 ? bob : alice).Send(roomId, $"line {i}");

        foreach (var socket in new[] { aliceSocket, bobSocket })
        {
            var appended = await socket.Collect(IsAppend, 5);
            Assert.Equal(Enumerable.Range(2, 5).Select(i => (long)i), appended.Select(SeqOf)); // after the line "Listener joined"
            Assert.Contains("line 5", appended[^1]);
        }
    }

    [Fact]
    public async Task A_page_offline_during_50_messages_catches_up_once_each_in_order_with_edits_and_deletes()
    {
        var (alice, _) = await app.SignedInPerson("Writer");
        var roomId = await alice.CreateRoom("Catch up");
        for (var i = 1; i <= 3; i++)
            await alice.Send(roomId, $"before {i}");
        var firstId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Seq == 1).Select(m => m.Id).SingleAsync());
        var secondId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Seq == 2).Select(m => m.Id).SingleAsync());

        // The page showed seqs 1-3, then went away while 50 more came, one was edited and one deleted.
        for (var i = 1; i <= 50; i++)
            await alice.Send(roomId, $"while away {i}");
        await alice.Submit($"/rooms/{roomId}/messages/{firstId}", "Save", new Dictionary<string, string> { ["Content"] = "before 1, edited" });
        await alice.Submit($"/rooms/{roomId}/messages/{secondId}", "Delete", new Dictionary<string, string>());

        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(after: 3, since: 1);
        var fragments = await socket.Collect(f => IsAppend(f) || f.StartsWith("<article"), 52);

        var replaced = fragments.Where(f => f.StartsWith("<article")).ToList();
        Assert.Equal(2, replaced.Count);
        Assert.Contains(replaced, f => f.Contains("before 1, edited") && f.Contains("(edited)"));
        Assert.Contains(replaced, f => f.Contains($"id=\"message-{secondId}\"") && f.Contains("This message was deleted."));
        var appended = fragments.Where(IsAppend).ToList();
        Assert.Equal(Enumerable.Range(4, 50).Select(i => (long)i), appended.Select(SeqOf));
        Assert.Contains("while away 50", appended[^1]);
    }

    [Fact]
    public async Task A_member_who_leaves_has_their_socket_closed_within_a_second()
    {
        var (owner, _) = await app.SignedInPerson("Stayer");
        var roomId = await owner.CreateRoom("Exit", "Public");
        var (leaver, _) = await app.SignedInPerson("Leaver");
        await leaver.Join(roomId);
        await using var socket = await LiveSocket.Open(app, leaver, roomId);
        await socket.Resume(0);
        await socket.Collect(f => f.Contains("id=\"members\""), 1);

        await (await leaver.Get($"/rooms/{roomId}")).Submit(leaver, "Leave room", new Dictionary<string, string>());
        await owner.Send(roomId, "after you left");
        var (status, fragments) = await socket.UntilClosed(TimeSpan.FromSeconds(1));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.DoesNotContain(fragments, f => f.Contains("after you left"));
    }

    [Fact]
    public async Task A_frame_over_32_kb_closes_the_socket_with_1009()
    {
        var (owner, _) = await app.SignedInPerson("Flooder");
        var roomId = await owner.CreateRoom("Big frames");
        await using var socket = await LiveSocket.Open(app, owner, roomId);
        await socket.Resume(0);

        await socket.SendJson(new { type = "typing", padding = new string('x', 1024 * 1024) });
        var (status, _) = await socket.UntilClosed();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
    }

    [Fact]
    public async Task Typing_shows_to_the_room_and_clears_when_the_message_arrives()
    {
        var (alice, _) = await app.SignedInPerson("Typist");
        var roomId = await alice.CreateRoom("Typing", "Public");
        var (bob, _) = await app.SignedInPerson("Watcher");
        await bob.Join(roomId);
        await using var aliceSocket = await LiveSocket.Open(app, alice, roomId);
        await using var bobSocket = await LiveSocket.Open(app, bob, roomId);
        await aliceSocket.Resume(0);
        await bobSocket.Resume(0);

        await aliceSocket.SendJson(new { type = "typing" });
        var shown = await bobSocket.Collect(f => f.StartsWith("<div id=\"typing\""), 1);
        await alice.Send(roomId, "done typing");
        var cleared = await bobSocket.Collect(f => f.StartsWith("<div id=\"typing\""), 1);

        Assert.Contains("Typist is typing…", WebUtility.HtmlDecode(shown[0]));
        Assert.DoesNotContain("typing", WebUtility.HtmlDecode(cleared[0]).Replace("id=\"typing\" class=\"typing\"", ""));
    }

}
