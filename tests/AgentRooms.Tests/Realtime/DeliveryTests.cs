using System.Net;
using System.Net.WebSockets;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using static AgentRooms.Tests.Support.LiveSocket;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Realtime;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Realtime;

public sealed class DeliveryTestsOnSqlite(SqliteAppFactory app) : DeliveryTests(app), IClassFixture<SqliteAppFactory>;

public sealed class DeliveryTestsOnMariaDb(MariaDbAppFactory app) : DeliveryTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Nothing lost: what every socket receives, whatever fails around it.</summary>
public abstract class DeliveryTests(AppFactory app)
{
    [Fact]
    public async Task A_page_behind_by_one_page_catches_up_and_one_further_behind_is_told_to_reload()
    {
        var (alice, _) = await app.SignedInPerson("Returner");
        var roomId = await alice.CreateRoom("Busy while away");
        var page = RoomHistory.PageSize;
        for (var i = 1; i <= page + 1; i++)
            await alice.Send(roomId, $"message {i}");

        await using (var oneBehind = await LiveSocket.Open(app, alice, roomId))
        {
            await oneBehind.Resume(1);
            var caughtUp = await oneBehind.Collect(IsAppend, page);
            Assert.Equal(Enumerable.Range(2, page).Select(i => (long)i), caughtUp.Select(SeqOf));
        }

        await using var farBehind = await LiveSocket.Open(app, alice, roomId);
        await farBehind.Resume(0);
        var (status, fragments) = await farBehind.UntilClosed();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.DoesNotContain(fragments, IsAppend);
        Assert.Contains(fragments, f => f.Contains("data-reload") && f.Contains($"href=\"/rooms/{roomId}\""));
    }

    [Fact]
    public async Task When_the_database_fails_the_sender_keeps_the_draft_and_nothing_is_broadcast()
    {
        var (alice, _) = await app.SignedInPerson("Unlucky");
        var roomId = await alice.CreateRoom("Faulty");
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);
        await socket.Collect(f => f.Contains("id=\"members\""), 1);

        app.Faults.FailSave = context => context.ChangeTracker.Entries<Message>().Any(e => e.State == EntityState.Added);
        Visitor.Page failed;
        try
        {
            failed = await alice.Send(roomId, "please keep me");
        }
        finally
        {
            app.Faults.FailSave = null;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
        Assert.Contains("could not be saved", failed.ErrorFor("Composer.Content"));
        Assert.Equal("please keep me", failed.Document.QuerySelector("textarea[name='Composer.Content']")!.TextContent);
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind != MessageKind.System)));
        Assert.Equal(0, (await app.WithDb(db => db.Rooms.SingleAsync(r => r.Id == roomId))).LastSeq);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.Next(TimeSpan.FromMilliseconds(500)));

        var retried = await alice.Send(roomId, "please keep me");
        Assert.Equal(HttpStatusCode.Redirect, retried.Status);
        Assert.Contains("please keep me", (await socket.Collect(IsAppend, 1))[0]);
    }

    [Fact]
    public async Task A_socket_that_breaks_loses_nothing_and_the_others_still_receive()
    {
        var (alice, _) = await app.SignedInPerson("Steady");
        var roomId = await alice.CreateRoom("Breakage", "Public");
        var (bob, _) = await app.SignedInPerson("Broken");
        await bob.Join(roomId);
        await using var aliceSocket = await LiveSocket.Open(app, alice, roomId);
        var bobSocket = await LiveSocket.Open(app, bob, roomId);
        await aliceSocket.Resume(0);
        await bobSocket.Resume(0);

        await bobSocket.DisposeAsync();
        var sent = await alice.Send(roomId, "while bob is broken");

        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        Assert.Contains("while bob is broken", (await aliceSocket.Collect(IsAppend, 1))[0]);
        await using var bobAgain = await LiveSocket.Open(app, bob, roomId);
        await bobAgain.Resume(0);
        Assert.Contains("while bob is broken", (await bobAgain.Collect(IsAppend, 1))[0]);
    }

    [Fact]
    public async Task Posts_whose_transactions_cross_still_arrive_everywhere_in_seq_order()
    {
        var (alice, _) = await app.SignedInPerson("Slowstart");
        var roomId = await alice.CreateRoom("Crossing", "Public");
        var (bob, _) = await app.SignedInPerson("Faststart");
        await bob.Join(roomId);
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);

        app.Faults.DelayNextTransaction = TimeSpan.FromMilliseconds(700);
        var slow = alice.Send(roomId, "started first");
        await app.Faults.DelayedTransactionBegan.WaitAsync(TimeSpan.FromSeconds(10));
        var fast = bob.Send(roomId, "started second");
        await Task.WhenAll(slow, fast);

        var received = await socket.Collect(IsAppend, 2);
        var inDatabase = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind != MessageKind.System).OrderBy(m => m.Seq).Select(m => m.Content).ToListAsync());
        Assert.Equal([2L, 3L], received.Select(SeqOf)); // 1 is the line "Faststart joined"
        Assert.Equal(inDatabase, received.Select(ContentOf));
    }

    [Fact]
    public async Task Broadcasts_that_arrive_out_of_order_reach_a_page_in_order_and_once()
    {
        var (alice, _) = await app.SignedInPerson("Reorder");
        var roomId = await alice.CreateRoom("Out of order");
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);
        await socket.Collect(f => f.Contains("id=\"members\""), 1);
        var userId = await app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).SingleAsync());

        // Two commits whose broadcasts cross on the way: seq 2 is heard before seq 1.
        var messages = await app.WithDb(async db =>
        {
            var room = await db.Rooms.SingleAsync(r => r.Id == roomId);
            var saved = new[] { 1, 2 }.Select(seq => new Message { RoomId = roomId, Seq = seq, SenderUserId = userId, Content = $"seq {seq}" }).ToList();
            room.LastSeq = 2;
            db.Messages.AddRange(saved);
            await db.SaveChangesAsync();
            return saved;
        });
        foreach (var message in messages.AsEnumerable().Reverse())
            await Publish(message);

        var received = await socket.Collect(IsAppend, 2);
        Assert.Equal([1L, 2L], received.Select(SeqOf));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.Next(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Every_page_sees_the_same_order_as_the_database()
    {
        var (alice, _) = await app.SignedInPerson("One");
        var roomId = await alice.CreateRoom("Chorus", "Public");
        var (bob, _) = await app.SignedInPerson("Two");
        var (carol, _) = await app.SignedInPerson("Three");
        await bob.Join(roomId);
        await carol.Join(roomId);
        var people = new[] { alice, bob, carol };
        var sockets = new List<LiveSocket>();
        foreach (var person in people)
        {
            var socket = await LiveSocket.Open(app, person, roomId);
            await socket.Resume(0);
            sockets.Add(socket);
        }

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => people[i % 3].Send(roomId, $"voice {i}")));

        // The messages in Seq order (after the lines saying Two and Three joined).
        var inDatabase = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.User)
            .OrderBy(m => m.Seq).Select(m => new { m.Seq, m.Content }).ToListAsync());
        Assert.Equal(Enumerable.Range(3, 30).Select(i => (long)i), inDatabase.Select(m => m.Seq));
        foreach (var socket in sockets)
        {
            var received = await socket.Collect(IsAppend, 30);
            Assert.Equal(inDatabase.Select(m => m.Seq), received.Select(SeqOf));
            Assert.Equal(inDatabase.Select(m => m.Content), received.Select(ContentOf));
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_page_built_from_pushes_matches_a_freshly_loaded_page()
    {
        var (alice, _) = await app.SignedInPerson("Compare");
        var roomId = await alice.CreateRoom("Same either way");
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);

        await alice.Send(roomId, "**one**");
        await alice.Send(roomId, "two with [a link](https://example.org/)");
        var pushed = (await socket.Collect(IsAppend, 2)).SelectMany(f => Articles(f)).ToList();
        var fresh = Articles((await alice.Get($"/rooms/{roomId}")).Document.QuerySelector("#messages")!.OuterHtml).ToList();

        Assert.Equal(fresh, pushed);
    }

    [Fact]
    public async Task Signing_out_in_one_tab_closes_the_socket_of_another()
    {
        var (alice, _) = await app.SignedInPerson("Tabs");
        var roomId = await alice.CreateRoom("Two tabs");
        await using var otherTab = await LiveSocket.Open(app, alice, roomId);
        await otherTab.Resume(0);

        await alice.SignOut();
        var (status, _) = await otherTab.UntilClosed(TimeSpan.FromSeconds(2));

        Assert.NotNull(status);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => LiveSocket.Open(app, alice, roomId));
        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public async Task A_flood_of_frames_closes_the_socket_with_1008()
    {
        var (alice, _) = await app.SignedInPerson("Spammer");
        var roomId = await alice.CreateRoom("Flood");
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);

        try
        {
            for (var i = 0; i < 1000; i++)
                await socket.SendJson(new { type = "noise" });
        }
        catch (Exception exception) when (exception is WebSocketException or IOException)
        {
            // Closed while still sending.
        }
        var (status, _) = await socket.UntilClosed();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Fact]
    public async Task Html_in_names_is_escaped_in_pushed_fragments()
    {
        var (alice, _) = await app.SignedInPerson("<b onmouseover=alert(1)>Bold</b>");
        var roomId = await alice.CreateRoom("Escapes");
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);

        await alice.Send(roomId, "hi");
        // The member list and the message arrive in either order.
        var fragments = await socket.Collect(f => f.Contains("id=\"members\"") || IsAppend(f), 2);
        var members = fragments.Single(f => f.Contains("id=\"members\""));
        var message = fragments.Single(IsAppend);

        foreach (var fragment in new[] { members, message })
        {
            Assert.DoesNotContain("<b onmouseover", fragment);
            Assert.Contains("&lt;b onmouseover=alert(1)&gt;Bold&lt;/b&gt;", fragment);
        }
        Assert.Contains("hx-disable", message);
    }

    private async Task Publish(Message message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var shown = await scope.ServiceProvider.GetRequiredService<RoomHistory>().One(message.RoomId, message.Id);
        var fragment = await app.Services.GetRequiredService<FragmentRenderer>()
            .RenderUtf8(MessageAppend.Of(shown!));
        await app.Services.GetRequiredService<IRoomBroadcaster>().Publish(message.RoomId, fragment, message.Seq);
    }

    private static IEnumerable<string> Articles(string html) =>
        new HtmlParser().ParseDocument($"<body>{html}</body>").QuerySelectorAll("article").Select(a => a.OuterHtml);


    private static string ContentOf(string fragment) =>
        new HtmlParser().ParseDocument(fragment).QuerySelector(".message-body")!.TextContent.Trim();
}
