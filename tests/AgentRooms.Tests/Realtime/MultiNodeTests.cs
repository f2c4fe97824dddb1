using System.Net;
using System.Net.WebSockets;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Infrastructure;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Infrastructure.LiveSocket;

namespace AgentRooms.Tests.Realtime;

/// <summary>
/// Three real app processes on loopback sharing one MariaDB and one Redis (<c>Redis:Configuration</c>),
/// no sticky sessions: a person may use any node for pages and sockets.
/// </summary>
public sealed class MultiNodeTests(MariaDbAppFactory app) : IClassFixture<MariaDbAppFactory>, IAsyncLifetime
{
    private readonly List<AppProcess> nodes = [];
    private readonly FakeModelServer model = new();

    /// <summary>Set by scripts/test.sh, which starts a throwaway redis-server on loopback.</summary>
    private static string Redis =>
        Environment.GetEnvironmentVariable("AGENTROOMS_TEST_REDIS") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("AGENTROOMS_TEST_REDIS is not set. Run the tests with scripts/test.sh, which starts Redis, or point it at one: 127.0.0.1:6379");

    public async Task InitializeAsync()
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated once, before the nodes share it
        await model.InitializeAsync();
        var settings = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = Redis,
            ["Redis__Prefix"] = $"agentrooms-test-{Guid.NewGuid():N}",
            ["AI__Endpoint"] = model.Endpoint,
            ["AI__ApiKey"] = "test-key",
            ["AI__Model"] = "fake-default",
        };
        var started = Enumerable.Range(0, 3).Select(n =>
            AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.node{n}", settings));
        nodes.AddRange(await Task.WhenAll(started));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
            node.Dispose();
        await model.DisposeAsync();
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
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), appended.Select(SeqOf));
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
    public async Task A_reply_produced_on_one_node_streams_to_the_others_and_Stop_on_a_third_cancels_it()
    {
        var alice = await SignedIn("Asker");
        var onNode1 = alice.On(nodes[0]);
        var roomId = await onNode1.CreateRoom("Agents across nodes");
        var agent = await app.CreateAgent(onNode1, "Chatty", "chatty", model: "chatty-model");
        await onNode1.AddAgent(roomId, agent);
        model.Scripts["chatty-model"] = new ModelScript
        {
            Chunks = Enumerable.Range(1, 40).Select(i => $"part{i} ").ToArray(), BetweenChunks = TimeSpan.FromMilliseconds(100),
        };
        await using var onNode2 = await Open(nodes[1], onNode1, roomId);
        await using var onNode3 = await Open(nodes[2], onNode1, roomId);

        // Posted on node 1, so node 1's workers produce the reply; nodes 2 and 3 see it stream.
        Assert.Equal(HttpStatusCode.Redirect, (await onNode1.Send(roomId, "@chatty tell me everything")).Status);
        foreach (var socket in new[] { onNode2, onNode3 })
            await socket.Collect(f => f.StartsWith("<article id=\"reply-") && f.Contains("part2"), 1);
        var replyId = await app.WithDb(db => db.AgentReplies.Where(r => r.AgentId == agent).Select(r => r.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await alice.On(nodes[2]).Stop(roomId, replyId)).StatusCode);

        await Eventually.True(() => app.WithDb(db => db.AgentReplies.AnyAsync(r => r.Id == replyId && r.CompletedAt != null)));
        var reply = await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.Id == replyId));
        Assert.Equal(AgentReplyStatus.Stopped, reply.Status);
        Assert.StartsWith("part1 part2", reply.ReplyMessage!.Content);
        Assert.DoesNotContain("part40", reply.ReplyMessage.Content);
        await Eventually.True(() => model.RequestsFor("chatty-model").Single().Cancelled);
    }

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
