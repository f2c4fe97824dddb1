using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Realtime;

/// <summary>
/// Three real app processes on loopback sharing one MariaDB and one Redis (<c>Redis:Configuration</c>),
/// no sticky sessions: a person may use any node for pages and sockets. Node 1 has no job workers;
/// nodes 2 and 3 take reply jobs from the shared queue.
/// </summary>
public sealed class MultiNodeTests(MariaDbAppFactory app) : IClassFixture<MariaDbAppFactory>, IAsyncLifetime
{
    private readonly List<AppProcess> nodes = [];
    private readonly FakeModelServer model = new();
    private readonly FakeToolServer tools = new();

    /// <summary>Set by scripts/test.sh, which starts a throwaway redis-server on loopback.</summary>
    private static string Redis =>
        Environment.GetEnvironmentVariable("AGENTROOMS_TEST_REDIS") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("AGENTROOMS_TEST_REDIS is not set. Run the tests with scripts/test.sh, which starts Redis, or point it at one: 127.0.0.1:6379");

    public async Task InitializeAsync()
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated once, before the nodes share it
        await model.InitializeAsync();
        await tools.InitializeAsync();
        var settings = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = Redis,
            ["Redis__Prefix"] = $"agentrooms-test-{Guid.NewGuid():N}",
            ["AI__Endpoint"] = model.Endpoint,
            ["AI__Model"] = "fake-default",
            // Short enough for a test to see a dead node's people and replies recovered; the lease long enough
            // that a live node renews it in time with both cores busy (a lapse hands a living reply over again).
            ["Redis__PresenceSeconds"] = "3",
            ["Agents__OrphanAfter"] = "00:00:08",
            ["Agents__SweepInterval"] = "00:00:01",
            ["AI__ToolServers__0__Name"] = "team",
            ["AI__ToolServers__0__Url"] = tools.Url,
        };
        // Each node calls the model with a key of its own, so a test can tell which node produces a reply.
        // Node 1 serves pages and sockets only (no workers): a mention posted there is answered elsewhere.
        var started = Enumerable.Range(1, 3).Select(n =>
            AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.node{n}",
                new Dictionary<string, string>(settings) { ["AI__ApiKey"] = $"key-node{n}", ["Agents__Workers"] = n == 1 ? "0" : "10" }));
        nodes.AddRange(await Task.WhenAll(started));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
            node.Dispose();
        await model.DisposeAsync();
        await tools.DisposeAsync();
    }

    [Fact]
    public async Task Messages_posted_on_one_node_reach_sockets_on_the_others_once_and_in_order()
    {
        var alice = (await SignedIn("Alice")).On(nodes[0]);
        var roomId = await alice.CreateRoom("Across nodes", "Public");
        var bob = (await SignedIn("Bob")).On(nodes[1]);
        await bob.Join(roomId);
        await using var onNode2 = await Open(nodes[1], bob, roomId);
        await using var onNode3 = await Open(nodes[2], alice, roomId);

        for (var i = 1; i <= 10; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await alice.Send(roomId, $"hello {i}")).Status);

        foreach (var socket in new[] { onNode2, onNode3 })
        {
            var appended = await socket.Collect(IsAppend, 10);
            Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), appended.Select(SeqOf)); // after the line "Bob joined"
            Assert.Contains("hello 10", appended[^1]);
        }
    }

    [Fact]
    public async Task Leaving_on_one_node_closes_that_persons_socket_on_another()
    {
        var alice = (await SignedIn("Owner")).On(nodes[0]);
        var roomId = await alice.CreateRoom("Leaving", "Public");
        var carol = (await SignedIn("Carol")).On(nodes[2]);
        await carol.Join(roomId);
        await using var carolsSocket = await Open(nodes[1], carol, roomId);
        await using var alicesSocket = await Open(nodes[1], alice, roomId);
        // Both sockets are registered on node 2 once it pushes them the member list.
        await carolsSocket.Collect(f => f.Contains("id=\"members\""), 1);
        await alicesSocket.Collect(f => f.Contains("id=\"members\""), 1);

        var left = await (await carol.Get($"/rooms/{roomId}")).Submit(carol, "Leave room", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, left.Status);

        var (status, _) = await carolsSocket.UntilClosed(TimeSpan.FromSeconds(3));
        Assert.True(status == WebSocketCloseStatus.PolicyViolation, $"closed with {status}; node 2 said:\n{string.Join("\n", nodes[1].Output)}");
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Send(roomId, "still here")).Status);
        Assert.Contains("still here", (await alicesSocket.Collect(IsAppend, 1))[0]);
    }

    [Fact]
    public async Task A_mention_posted_on_one_node_is_answered_by_another_streams_to_all_three_and_Stop_on_the_third_cancels_it()
    {
        // Ten seconds of streaming: Stop comes long before the end, however busy the machine.
        var (alice, roomId, agent) = await RoomWithSlowAgent("Agents across nodes", "chatty", "part", 100);
        var onNode1 = alice.On(nodes[0]);
        await using var onNode1Socket = await Open(nodes[0], onNode1, roomId);
        await using var onNode2 = await Open(nodes[1], onNode1, roomId);
        await using var onNode3 = await Open(nodes[2], onNode1, roomId);

        // Posted on node 1, which has no workers: a worker on node 2 or 3 takes the job, and every node's socket sees it stream.
        Assert.Equal(HttpStatusCode.Redirect, (await onNode1.Send(roomId, "@chatty tell me everything")).Status);
        foreach (var socket in new[] { onNode1Socket, onNode2, onNode3 })
            await socket.Collect(f => f.StartsWith("<div id=\"reply-text-") && f.Contains("part2"), 1);
        var replyId = await app.WithDb(db => db.AgentReplies.Where(r => r.AgentId == agent).Select(r => r.Id).SingleAsync());
        var runsOn = model.RequestsFor("chatty-model").Single().Authorization;
        Assert.Matches("key-node[23]$", runsOn);
        var third = runsOn.EndsWith("key-node2") ? nodes[2] : nodes[1]; // neither where it was posted nor where it runs

        Assert.Equal(HttpStatusCode.NoContent, (await alice.On(third).Stop(roomId, replyId)).StatusCode);

        await Eventually.True(() => app.WithDb(db => db.AgentReplies.AnyAsync(r => r.Id == replyId && r.CompletedAt != null)));
        var reply = await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.Id == replyId));
        Assert.Equal(AgentReplyStatus.Stopped, reply.Status);
        Assert.StartsWith("part1 part2", reply.ReplyMessage!.Content);
        Assert.DoesNotContain("part100", reply.ReplyMessage.Content);
        await Eventually.True(() => model.RequestsFor("chatty-model").Single().Cancelled);
    }

    [Fact]
    public async Task A_new_password_on_one_node_closes_the_persons_sockets_on_the_others_and_old_cookies_open_none()
    {
        var alice = await SignedIn("Alice");
        var onNode1 = alice.On(nodes[0]);
        var roomId = await onNode1.CreateRoom("Password across nodes", "Private");
        var copied = onNode1.CookieHeader;
        await using var stolenOnNode3 = new LiveSocket(await ConnectWithCookie(nodes[2], copied, roomId));

        var changed = await onNode1.Submit("/Account/Profile", "Change password", new Dictionary<string, string>
        {
            ["Password.Current"] = People.Password, ["Password.New"] = "another long secret", ["Password.Confirm"] = "another long secret",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.NotNull((await stolenOnNode3.UntilClosed(TimeSpan.FromSeconds(15))).Status);
        foreach (var node in nodes)
            await Assert.ThrowsAnyAsync<WebSocketException>(() => ConnectWithCookie(node, copied, roomId));
        // The browser that changed it stays signed in, on every node.
        await using var own = await Open(nodes[1], alice.On(nodes[1]), roomId);
        Assert.Equal(WebSocketState.Open, own.Socket.State);
    }

    private static async Task<ClientWebSocket> ConnectWithCookie(AppProcess node, string cookie, int roomId)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", node.BaseUrl);
        await socket.ConnectAsync(new Uri($"{node.BaseUrl.Replace("http", "ws")}/rooms/{roomId}/live"), CancellationToken.None);
        await new LiveSocket(socket).Resume(0);
        return socket;
    }

    [Fact]
    public async Task Who_is_here_and_who_is_typing_cross_nodes()
    {
        var person = await SignedIn("Alice");
        var alice = person.On(nodes[0]);
        var roomId = await alice.CreateRoom("Presence across nodes", "Public");
        var bob = (await SignedIn("Bob")).On(nodes[1]);
        await bob.Join(roomId);
        await using var alicesSocket = await Open(nodes[0], alice, roomId);
        await alicesSocket.Collect(f => IsMembers(f) && IsHere(f, "Alice"), 1);

        await using var bobsSocket = await Open(nodes[1], bob, roomId);

        // Node 2 pushes the member list, with Alice, whose socket is on node 1, and Bob here.
        var seen = await alicesSocket.Collect(f => IsMembers(f) && IsHere(f, "Bob"), 1);
        Assert.True(IsHere(seen[0], "Alice"), seen[0]);
        // A page opened on node 3, where neither has a socket, shows both here too.
        var page = (await person.On(nodes[2]).Get($"/rooms/{roomId}")).Document.QuerySelector("#members")!.OuterHtml;
        Assert.True(IsHere(page, "Alice") && IsHere(page, "Bob"), page);

        // Two people typing on two nodes: each node's fragment names both.
        await alicesSocket.SendJson(new { type = "typing" });
        await bobsSocket.Collect(f => IsTyping(f) && f.Contains("Alice is typing"), 1);
        await bobsSocket.SendJson(new { type = "typing" });
        await alicesSocket.Collect(f => IsTyping(f) && f.Contains("Alice and Bob are typing"), 1);

        // Bob's message clears his typing for Alice, wherever it was shown from. (Alice's page says
        // again that she types, as it does every two seconds, so her five seconds do not run out here.)
        await alicesSocket.SendJson(new { type = "typing" });
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Send(roomId, "sent")).Status);
        var after = await alicesSocket.Collect(f => IsTyping(f) && !f.Contains("Bob"), 1);
        Assert.Contains("Alice is typing", after[0]);

        // Bob closes his page: Alice sees him away.
        await bobsSocket.DisposeAsync();
        await alicesSocket.Collect(f => IsMembers(f) && IsAway(f, "Bob"), 1);
    }

    [Fact]
    public async Task People_on_a_node_that_dies_are_shown_away_without_anyone_cleaning_up()
    {
        var alice = (await SignedIn("Alice")).On(nodes[0]);
        var roomId = await alice.CreateRoom("A node dies", "Public");
        var carol = await SignedIn("Carol");
        await carol.On(nodes[2]).Join(roomId);
        await using var alicesSocket = await Open(nodes[0], alice, roomId);
        await alicesSocket.Collect(f => IsMembers(f) && IsHere(f, "Alice"), 1);
        var carolsSocket = await Open(nodes[2], carol.On(nodes[2]), roomId);
        await alicesSocket.Collect(f => IsMembers(f) && IsHere(f, "Carol") && IsHere(f, "Alice"), 1);

        nodes[2].KillHard(); // no goodbye: Carol's entry stays in Redis until it expires

        var seen = await alicesSocket.Collect(f => IsMembers(f) && IsAway(f, "Carol"), 1, TimeSpan.FromSeconds(15));
        Assert.True(IsHere(seen[0], "Alice"), seen[0]);
        var page = (await carol.On(nodes[1]).Get($"/rooms/{roomId}")).Document.QuerySelector("#members")!.OuterHtml;
        Assert.True(IsAway(page, "Carol"), page);
        await carolsSocket.DisposeAsync();
    }

    [Fact]
    public async Task A_node_killed_mid_reply_leaves_exactly_one_reply_produced_by_another()
    {
        // Six seconds of streaming: the node is killed long before the end, however busy the machine.
        const int words = 60;
        var (alice, roomId, agent) = await RoomWithSlowAgent("Node dies mid-reply", "patient", "word", words);
        var onNode1 = alice.On(nodes[0]);
        Assert.Equal(HttpStatusCode.Redirect, (await onNode1.Send(roomId, "@patient take your time")).Status);

        // Whichever node's worker took the job is killed while the reply streams.
        await Eventually.True(() => Task.FromResult(model.RequestsFor("patient-model").Count == 1));
        var first = model.RequestsFor("patient-model")[0].Authorization;
        var producer = nodes.Single(n => first.EndsWith($"key-node{nodes.IndexOf(n) + 1}"));
        await using var watcher = await Open(nodes.First(n => n != producer), onNode1, roomId);
        await watcher.Collect(f => f.StartsWith("<div id=\"reply-text-") && f.Contains("word2"), 1);
        producer.KillHard();

        // Another node's sweeper finds the reply nobody holds and another worker answers it, once.
        await Eventually.True(() => app.WithDb(db => db.AgentReplies.AnyAsync(r => r.AgentId == agent && r.CompletedAt != null)),
            TimeSpan.FromSeconds(60));
        var reply = await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.AgentId == agent));
        Assert.Equal(AgentReplyStatus.Done, reply.Status);
        Assert.Equal(string.Concat(Enumerable.Range(1, words).Select(i => $"word{i} ")).TrimEnd(), reply.ReplyMessage!.Content.TrimEnd());
        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.SenderAgentId == agent)));
        var requests = model.RequestsFor("patient-model");
        Assert.Equal(2, requests.Count);
        Assert.NotEqual(first, requests[1].Authorization);
        // The page on a surviving node ends with the finished reply, and no placeholder left.
        var appended = await watcher.Collect(f => IsAppend(f) && f.Contains($"word{words}"), 1);
        Assert.Single(appended);
        await watcher.Collect(f => f.Contains($"reply-{reply.Id}") && !f.Contains("<article"), 1);
    }

    [Fact]
    public async Task A_tool_call_waits_on_a_worker_node_and_is_allowed_from_a_node_without_workers()
    {
        var alice = await SignedIn("Approver");
        var onNode1 = alice.On(nodes[0]);
        var roomId = await onNode1.CreateRoom("Approvals across nodes");
        var agent = await app.CreateAgent(onNode1, "Filer", "filer", model: "filer-model");
        Assert.Equal(HttpStatusCode.Redirect, (await onNode1.Submit($"/agents/{agent}/edit", "Save agent",
            new Dictionary<string, string> { ["Input.Tools[0]"] = "team/file_ticket" })).Status);
        await onNode1.AddAgent(roomId, agent);
        model.Scripts["filer-model"] = ModelScript.Call(ModelScript.Say("Filed across nodes."), ("file_ticket", """{"title":"Across nodes"}"""));
        await using var onNode3 = await Open(nodes[2], onNode1, roomId);

        // Node 1 has no workers: the reply runs, and waits, on node 2 or 3; its step reaches a socket on node 3.
        Assert.Equal(HttpStatusCode.Redirect, (await onNode1.Send(roomId, "@filer file it")).Status);
        var waiting = await onNode3.Collect(f => f.Contains("tool-step waiting") && f.Contains("Allow once"), 1, TimeSpan.FromSeconds(30));
        Assert.Contains("Waiting for approval", waiting[0]);
        var approval = await app.WithDb(db => db.ToolApprovals.SingleAsync(a => a.RoomId == roomId));
        Assert.DoesNotContain(tools.Calls, c => c.Argument == "Across nodes");

        var allowed = await onNode1.PostAsHtmx($"/rooms/{roomId}/approvals/{approval.Id}", new Dictionary<string, string>
        {
            ["decision"] = "allow", ["__RequestVerificationToken"] = (await onNode1.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
        });
        Assert.Equal(HttpStatusCode.NoContent, allowed.Status);
        await Eventually.True(() => app.WithDb(db => db.AgentReplies.AnyAsync(r => r.AgentId == agent && r.ReplyMessageId != null)), TimeSpan.FromSeconds(30));
        Assert.Single(tools.Calls, c => c.Argument == "Across nodes");
        Assert.Equal("Filed across nodes.", await app.WithDb(db => db.Messages.Where(m => m.SenderAgentId == agent).Select(m => m.Content).SingleAsync()));
    }

    /// <summary>A private room made on node 1 with an agent (model "{handle}-model") that says word1 … wordN, one a tenth of a second.</summary>
    private async Task<(Person Asker, int RoomId, int Agent)> RoomWithSlowAgent(string room, string handle, string word, int words)
    {
        var asker = await SignedIn("Asker");
        var onNode1 = asker.On(nodes[0]);
        var roomId = await onNode1.CreateRoom(room);
        var agent = await app.CreateAgent(onNode1, char.ToUpperInvariant(handle[0]) + handle[1..], handle, model: $"{handle}-model");
        await onNode1.AddAgent(roomId, agent);
        model.Scripts[$"{handle}-model"] = new ModelScript
        {
            Chunks = Enumerable.Range(1, words).Select(i => $"{word}{i} ").ToArray(), BetweenChunks = TimeSpan.FromMilliseconds(100),
        };
        return (asker, roomId, agent);
    }

    private static bool IsMembers(string fragment) => fragment.StartsWith("<section id=\"members\"");

    private static bool IsTyping(string fragment) => fragment.StartsWith("<div id=\"typing\"");

    private static bool IsHere(string members, string name) => Regex.IsMatch(members, $"<li class=\"here\"[^>]*>(?:(?!</li>).)*>{name}<", RegexOptions.Singleline);

    private static bool IsAway(string members, string name) => Regex.IsMatch(members, $"<li class=\"away\"[^>]*>(?:(?!</li>).)*>{name}<", RegexOptions.Singleline);

    /// <summary>A person with an account; <see cref="On"/> gives their browser pointed at any node, same cookies.</summary>
    private sealed class Person(CookieContainer cookies)
    {
        public Visitor On(AppProcess node) => Visitor.At(node.BaseUrl, cookies);
    }

    /// <summary>Registered (and signed in) through node 1; the cookie works on every node.</summary>
    private async Task<Person> SignedIn(string name)
    {
        var person = new Person(new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await person.On(nodes[0]).Register(People.NewEmail(name.ToLowerInvariant()), name)).Status);
        return person;
    }

    /// <summary>The room page's socket on <paramref name="node"/>, with the cookie the person got from whichever node signed them in.</summary>
    private static async Task<LiveSocket> Open(AppProcess node, Visitor visitor, int roomId) =>
        new(await LiveSocket.Connect(node.BaseUrl, visitor, roomId));
}
