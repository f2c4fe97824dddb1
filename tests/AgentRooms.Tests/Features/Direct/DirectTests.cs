using System.Net;
using System.Net.WebSockets;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Direct;

public sealed class DirectTestsOnSqlite(SqliteAppFactory app) : DirectTests(app), IClassFixture<SqliteAppFactory>;

public sealed class DirectTestsOnMariaDb(MariaDbAppFactory app) : DirectTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Direct conversations: rooms only their people read, opened once per pair, where agents answer without a mention.</summary>
public abstract class DirectTests(AppFactory app)
{
    private async Task<string> UserIdOf(string name) =>
        await app.WithDb(db => db.Users.Where(u => u.DisplayName == name).Select(u => u.Id).SingleAsync());

    /// <summary>Presses "Start conversation" on the page of <paramref name="path"/>; the conversation's id.</summary>
    private static async Task<int> Start(Visitor visitor, string path)
    {
        var started = await visitor.Submit(path, "Start conversation", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        return int.Parse(started.Response.Headers.Location!.OriginalString.Split('/', '#')[2]);
    }

    [Fact]
    public async Task Two_people_who_share_a_room_open_one_conversation_listed_apart_with_unread_counts()
    {
        var (ada, _) = await app.SignedInPerson("Ada Direct");
        var (bob, _) = await app.SignedInPerson("Bob Direct");
        var (eve, _) = await app.SignedInPerson("Eve Stranger");
        var shared = await ada.CreateRoom("Where they met", "Public");
        await bob.Join(shared);
        var bobId = await UserIdOf("Bob Direct");
        var adaId = await UserIdOf("Ada Direct");

        // "Message" on Bob in the member list leads here, and beside each message to its author (the
        // page's script hides it beside your own: messages are the same for every viewer).
        await bob.Send(shared, "hello from Bob");
        await ada.Send(shared, "hello from Ada");
        var room = await ada.Get($"/rooms/{shared}");
        var authors = room.Document.QuerySelectorAll("#messages article[data-author]")
            .Select(a => (a.GetAttribute("data-author"), a.QuerySelector("a[data-message-author]")?.GetAttribute("href"))).ToList();
        Assert.Equal([(bobId, $"/direct/with/{bobId}"), (adaId, $"/direct/with/{adaId}")], authors);
        Assert.Equal(HttpStatusCode.NotFound, (await ada.Get($"/direct/with/{adaId}")).Status);
        Assert.NotNull(room.Document.QuerySelector($"#members a[href='/direct/with/{bobId}']"));
        Assert.Null(room.Document.QuerySelector($"#members a[href='/direct/with/{adaId}']")); // not herself
        var offer = await ada.Get($"/direct/with/{bobId}");
        Assert.Equal(HttpStatusCode.OK, offer.Status);
        Assert.Contains("Message Bob Direct", offer.Document.QuerySelector("h1")!.TextContent);
        Assert.Empty(await app.WithDb(db => db.Rooms.Where(r => r.Kind == RoomKind.Direct && r.Members.Any(m => m.UserId == adaId)).ToListAsync()));

        var direct = await Start(ada, $"/direct/with/{bobId}");
        // Each of them reads it called by the other.
        Assert.Equal("Bob Direct", (await ada.Get($"/rooms/{direct}")).Document.QuerySelector("#room-header h1")!.TextContent);
        Assert.Equal("Ada Direct", (await bob.Get($"/rooms/{direct}")).Document.QuerySelector("#room-header h1")!.TextContent);
        // Opening it again, from either side, finds the same conversation.
        Assert.Equal($"/rooms/{direct}#latest", (await ada.Get($"/direct/with/{bobId}")).Response.Headers.Location!.OriginalString);
        Assert.Equal($"/rooms/{direct}#latest", (await bob.Get($"/direct/with/{adaId}")).Response.Headers.Location!.OriginalString);
        var again = await bob.Post($"/direct/with/{adaId}", new Dictionary<string, string> { ["__RequestVerificationToken"] = await bob.AnyToken() });
        Assert.Equal($"/rooms/{direct}#latest", again.Response.Headers.Location!.OriginalString);
        // With JavaScript the links post at once and the page goes where htmx is told: one click.
        var clicked = await bob.PostAsHtmx($"/direct/with/{adaId}", new Dictionary<string, string> { ["__RequestVerificationToken"] = await bob.AnyToken() });
        Assert.Equal(HttpStatusCode.NoContent, clicked.Status);
        Assert.Equal($"/rooms/{direct}#latest", clicked.Response.Headers.GetValues("HX-Redirect").Single());
        Assert.Single(await app.WithDb(db => db.Rooms.Where(r => r.Kind == RoomKind.Direct && r.Members.Any(m => m.UserId == adaId)).ToListAsync()));

        await ada.Send(direct, "just between us");
        var nav = await bob.Get("/rooms/nav");
        var section = nav.Document.QuerySelector("[aria-labelledby='direct-heading']")!;
        Assert.Equal("Direct messages", nav.Document.GetElementById("direct-heading")!.TextContent);
        Assert.Equal("Ada Direct, 1 unread", section.QuerySelector($"a[href='/rooms/{direct}#latest']")!.GetAttribute("aria-label"));
        Assert.Null(nav.Document.QuerySelector($"#rooms-nav-list > li > a[href='/rooms/{direct}#latest']"));
        Assert.DoesNotContain($"/rooms/{direct}", (await bob.Get("/rooms")).Document.QuerySelector("main")!.InnerHtml);
        Assert.Equal("Direct", (await bob.Get($"/rooms/{direct}")).Document.QuerySelector("#room-header .badge")!.TextContent);

        // Eve shares no room with either: she cannot start one with them, nor find theirs.
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Get($"/direct/with/{bobId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/direct/with/{bobId}", new Dictionary<string, string> { ["__RequestVerificationToken"] = await eve.AnyToken() })).Status);
        Assert.Empty((await eve.Get("/search?q=between")).Document.QuerySelectorAll(".search-result"));
    }

    [Fact]
    public async Task An_outsider_can_neither_read_join_write_react_listen_nor_get_in_by_any_handler()
    {
        var (ada, _) = await app.SignedInPerson("Ada Closed");
        var (bob, _) = await app.SignedInPerson("Bob Closed");
        var (eve, _) = await app.SignedInPerson("Eve Outside DM");
        var shared = await ada.CreateRoom("Shared but not the DM", "Public");
        await bob.Join(shared);
        await eve.Join(shared);
        var direct = await Start(ada, $"/direct/with/{await UserIdOf("Bob Closed")}");
        await ada.Send(direct, "private words");
        var messageId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == direct && m.Content == "private words").Select(m => m.Id).SingleAsync());
        var token = await eve.AnyToken();
        Dictionary<string, string> Form(params (string, string)[] fields) =>
            fields.Append(("__RequestVerificationToken", token)).ToDictionary(f => f.Item1, f => f.Item2);

        Assert.Equal(HttpStatusCode.NotFound, (await eve.Get($"/rooms/{direct}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Get($"/rooms/{direct}/messages/{messageId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/rooms/{direct}/membership?handler=Join", Form())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/rooms/{direct}/messages", Form(("Composer.Content", "let me in"), ("Composer.ClientMessageId", Guid.NewGuid().ToString())))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/rooms/{direct}/messages/{messageId}/reactions", Form(("text", "👀")))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/rooms/{direct}/agents?handler=Add", Form(("agentId", "1")))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/direct/{direct}/people", Form(("userId", await UserIdOf("Eve Outside DM"))))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Get($"/search?q=private&room={direct}")).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await eve.Get($"/rooms/{direct}/settings")).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await eve.Get($"/rooms/{direct}/invitations/new")).Status);
        var socket = await LiveSocket.Open(app, eve, direct);
        var (status, _) = await socket.UntilClosed();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);

        // Its own people cannot open it up either: nobody runs a conversation (no invitations, no settings).
        Assert.NotEqual(HttpStatusCode.OK, (await ada.Get($"/rooms/{direct}/settings")).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await ada.Get($"/rooms/{direct}/invitations/new")).Status);
        Assert.Null((await ada.Get($"/rooms/{direct}")).Document.QuerySelector(".invite-panel, [name='Invite.Expires']"));
        Assert.Equal(2, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == direct)));

        // But they may add someone they share a room with: Eve, added by Bob, now reads it, and open
        // pages show the conversation's new name at once.
        await using var adasPage = await LiveSocket.Open(app, ada, direct);
        await adasPage.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == direct).Select(r => r.LastSeq).SingleAsync()));
        var added = await (await bob.Get($"/rooms/{direct}")).Submit(bob, "Add to conversation", new Dictionary<string, string> { ["userId"] = await UserIdOf("Eve Outside DM") });
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        Assert.Equal(HttpStatusCode.OK, (await eve.Get($"/rooms/{direct}")).Status);
        var header = (await adasPage.Collect(f => f.Contains("id=\"room-header\""), 1))[0];
        Assert.Equal("Ada Closed, Bob Closed, Eve Outside DM",
            new AngleSharp.Html.Parser.HtmlParser().ParseDocument(header).QuerySelector("#room-header h1")!.TextContent);
    }

    [Fact]
    public async Task An_agent_chat_answers_every_message_without_a_mention_and_a_conversation_holds_at_most_eight()
    {
        var (ada, _) = await app.SignedInPerson("Ada Chats");
        var agentId = await app.CreateAgent(ada, "Chatty Owl", $"chatty-{Guid.NewGuid():N}"[..14]);
        var agents = await ada.Get("/agents");
        Assert.NotNull(agents.Document.QuerySelector($"a[href='/direct/agent/{agentId}']"));
        Assert.Equal("Chat with Chatty Owl", agents.Document.QuerySelector($"a[href='/direct/agent/{agentId}']")!.TextContent);

        var chat = await Start(ada, $"/direct/agent/{agentId}");
        // Called by who else is in it (not by Ada herself, as it was).
        Assert.Equal("Chatty Owl", (await ada.Get($"/rooms/{chat}")).Document.QuerySelector("#room-header h1")!.TextContent);
        Assert.Equal($"/rooms/{chat}#latest", (await ada.Get($"/direct/agent/{agentId}")).Response.Headers.Location!.OriginalString);
        await ada.Send(chat, "hello there, no handle in sight");
        var trigger = await app.WithDb(db => db.Messages.Where(m => m.RoomId == chat && m.Content == "hello there, no handle in sight").Select(m => m.Id).SingleAsync());
        Assert.Equal([agentId], await app.WithDb(db => db.AgentReplies.Where(r => r.TriggerMessageId == trigger).Select(r => r.AgentId).ToListAsync()));
        await app.JobsIdle();

        // Someone else's agent that is not in any room of theirs cannot be reached.
        var (eve, _) = await app.SignedInPerson("Eve No Owl");
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Get($"/direct/agent/{agentId}")).Status);

        // Eight at most: Ada, her owl and six people from a shared room; the seventh is refused.
        var shared = await ada.CreateRoom("Many friends", "Public");
        var friends = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var (friend, _) = await app.SignedInPerson($"Friend {i} {chat}");
            await friend.Join(shared);
            friends.Add(await UserIdOf($"Friend {i} {chat}"));
        }
        foreach (var friend in friends)
            await (await ada.Get($"/rooms/{chat}")).Submit(ada, "Add to conversation", new Dictionary<string, string> { ["userId"] = friend });
        Assert.Equal(7, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == chat)));
        Assert.Contains("at most 8", (await ada.Get($"/rooms/{chat}")).Document.Body!.TextContent);
    }
}
