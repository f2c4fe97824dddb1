using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Realtime;

public sealed class CrashTestsOnSqlite(SqliteAppFactory app) : CrashTests(app), IClassFixture<SqliteAppFactory>;

public sealed class CrashTestsOnMariaDb(MariaDbAppFactory app) : CrashTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>
/// The server killed with SIGKILL ten times at random moments while people post (forms and sockets) and
/// an agent streams, each time started again on the same database. After each restart: every message a
/// client saw acknowledged is stored once, Seq has no gaps, no reply is left answering once the sweeper
/// has looked, and a page that was open catches up with everything, in order, once, with no placeholder
/// left behind.
/// </summary>
public abstract partial class CrashTests : IAsyncLifetime
{
    private const int Kills = 10;
    private const int Words = 30;
    private static readonly string FullReply = string.Join(" ", Enumerable.Range(1, Words).Select(i => $"w{i}"));

    private readonly AppFactory app;
    private readonly FakeModelServer model = new();
    private readonly int seed = Random.Shared.Next();

    protected CrashTests(AppFactory app)
    {
        this.app = app;
        // The test's own app (which reads the database for the test) answers no mention: only the process
        // that is killed and started again does, from a job queue of its own.
        app.Settings["Agents:Workers"] = "0";
    }

    private string HangfirePath => $"{app.HangfirePath}.crash";

    public async Task InitializeAsync()
    {
        await model.InitializeAsync();
        // Two seconds of streaming: a kill often lands mid-reply.
        model.Scripts["crash-stream"] = new ModelScript
        {
            Chunks = Enumerable.Range(1, Words).Select(i => i == 1 ? "w1" : $" w{i}").ToArray(), BetweenChunks = TimeSpan.FromMilliseconds(60),
        };
    }

    public async Task DisposeAsync() => await model.DisposeAsync();

    [Fact]
    public async Task Ten_hard_kills_under_load_with_an_agent_streaming_lose_nothing_and_the_page_catches_up()
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated before the processes share it
        var random = new Random(seed);
        var port = AppProcess.FreePort();
        var cookies = new CookieContainer();
        var server = await Start(port);
        try
        {
            using var person = Visitor.At(server.BaseUrl, cookies);
            Assert.Equal(HttpStatusCode.Redirect, (await person.Register(People.NewEmail("crash"), "Crash")).Status);
            var roomId = await person.CreateRoom("Under load");
            await person.AddAgent(roomId, await app.CreateAgent(person, "Streamer", "streamer", model: "crash-stream"));
            var token = await person.AnyToken();
            var page = new Page(); // what one open room page has seen, kept across every restart
            var attempted = new ConcurrentDictionary<Guid, bool>(); // every id sent: acknowledged or not

            for (var kill = 1; kill <= Kills; kill++)
            {
                var round = $"kill {kill} of {Kills} (seed {seed})";
                await Load(server, person, roomId, token, page, attempted, random, round);

                server = await Start(port);
                // The client sends again whatever it was not sure of, with the same ids (the page's pending echoes).
                foreach (var (id, _) in attempted.Where(a => !a.Value))
                    Assert.Equal(HttpStatusCode.Redirect, (await Post(person, roomId, token, id, $"again {id}")).Status);
                foreach (var id in attempted.Keys)
                    attempted[id] = true;
                await Check(server, person, roomId, page, attempted.Keys, round);
            }
            // The kills did cut replies short: some were asked of the model again after a restart.
            var replies = await app.WithDb(db => db.AgentReplies.CountAsync(r => r.TriggerMessage!.RoomId == roomId));
            Assert.True(model.RequestsFor("crash-stream").Count > replies, $"no reply was cut short (seed {seed})");
        }
        finally
        {
            server.Dispose();
        }
    }

    private Task<AppProcess> Start(int port) => AppProcess.Start(port, app.Provider, app.ConnectionString, HangfirePath, new Dictionary<string, string>
    {
        ["AI__Endpoint"] = model.Endpoint,
        ["AI__Model"] = "crash-default",
        ["Agents__StreamInterval"] = "00:00:00.100",
        // A reply a dead worker held, or whose job was lost, is picked up within seconds.
        ["Agents__OrphanAfter"] = "00:00:02",
        ["Agents__PendingGrace"] = "00:00:02",
        ["Agents__SweepInterval"] = "00:00:01",
        ["Agents__MentionsPerMinute"] = "10000",
        ["Agents__RoomRepliesPerMinute"] = "10000",
    });

    /// <summary>
    /// A mention sets the agent streaming; two people post through forms and one page sends over its
    /// socket; the server is killed at a random moment in that.
    /// </summary>
    private async Task Load(AppProcess server, Visitor person, int roomId, string token, Page page,
        ConcurrentDictionary<Guid, bool> attempted, Random random, string round)
    {
        var before = attempted.Count;
        using var socket = await LiveSocket.Connect(server.BaseUrl, person, roomId, page.LastSeq);
        var reading = page.Read(new LiveSocket(socket));

        var mention = Guid.NewGuid();
        attempted[mention] = false;
        attempted[mention] = (await Post(person, roomId, token, mention, "@streamer tell me a story")).Status == HttpStatusCode.Redirect;
        await page.Streaming.WaitAsync(TimeSpan.FromSeconds(20));

        using var stop = new CancellationTokenSource();
        var formPosters = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.NewGuid();
                attempted[id] = false;
                try
                {
                    attempted[id] = (await Post(person, roomId, token, id, $"form {id}")).Status == HttpStatusCode.Redirect;
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone
                }
            }
        }));
        var socketSender = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.NewGuid();
                attempted[id] = false;
                var heard = page.Heard(id);
                try
                {
                    await socket.SendAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { type = "send", content = $"socket {id}", clientMessageId = id }),
                        WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
                {
                    return;
                }
                // Acknowledged when the page hears its own message back.
                if (await Task.WhenAny(heard, Task.Delay(TimeSpan.FromSeconds(2), stop.Token).ContinueWith(_ => { })) == heard)
                    attempted[id] = true;
            }
        });

        // Killed at a random moment of a steady stream of posts (and, often, of the reply).
        var loaded = DateTime.UtcNow.AddSeconds(30);
        while (attempted.Count(a => a.Value) < before + 5 && DateTime.UtcNow < loaded)
            await Task.Delay(10);
        await Task.Delay(random.Next(0, 1500));
        server.KillHard();
        stop.Cancel();
        await Task.WhenAll(formPosters.Append(socketSender));
        await reading;
        Assert.True(attempted.Count(a => a.Value) > before, $"{round}: nothing was acknowledged before the kill");
    }

    private async Task Check(AppProcess server, Visitor person, int roomId, Page page, ICollection<Guid> attempted, string round)
    {
        // No reply is left answering once the sweeper has looked, and each is answered once, whole.
        await Eventually.True(() => app.WithDb(db => db.AgentReplies.AllAsync(r => r.TriggerMessage!.RoomId != roomId
            || r.Status != AgentReplyStatus.Pending && r.Status != AgentReplyStatus.Running)), TimeSpan.FromSeconds(60));
        var replies = await app.WithDb(db => db.AgentReplies.Where(r => r.TriggerMessage!.RoomId == roomId)
            .Select(r => new { r.Status, Content = r.ReplyMessage!.Content }).ToListAsync());
        Assert.All(replies, r => Assert.True(r.Status == AgentReplyStatus.Done && r.Content == FullReply, $"{round}: {r.Status} \"{r.Content}\""));

        // Every message sent is stored once, and Seq runs 1, 2, 3… with no gap.
        var stored = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq)
            .Select(m => new { m.Seq, m.Kind, m.ClientMessageId }).ToListAsync());
        var ids = stored.Where(m => m.Kind == MessageKind.User).Select(m => m.ClientMessageId!.Value).ToHashSet();
        Assert.True(ids.Count == stored.Count(m => m.Kind == MessageKind.User), $"{round}: a message stored twice");
        Assert.True(attempted.All(ids.Contains), $"{round}: {attempted.Count(id => !ids.Contains(id))} messages missing");
        Assert.Equal(attempted.Count, ids.Count);
        Assert.Equal(replies.Count, stored.Count(m => m.Kind == MessageKind.Agent));
        Assert.True(Enumerable.Range(1, stored.Count).Select(i => (long)i).SequenceEqual(stored.Select(m => m.Seq)), $"{round}: Seq has a gap");

        // The page that was open reconnects: it gets what it missed, in order and once, and the replies as they
        // stand, which is none.
        using var socket = await LiveSocket.Connect(server.BaseUrl, person, roomId, page.LastSeq);
        await page.CatchUp(new LiveSocket(socket), stored.Count, round);
        Assert.True(Enumerable.Range(1, stored.Count).Select(i => (long)i).SequenceEqual(page.Seqs), $"{round}: the page has {page.Seqs.Count} messages, out of order or twice");
        Assert.DoesNotContain("<article", page.Replies);
    }

    private static Task<Visitor.Page> Post(Visitor person, int roomId, string token, Guid id, string text) =>
        person.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Composer.Content"] = text, ["Composer.ClientMessageId"] = id.ToString(),
        });

    /// <summary>An open room page, as far as its socket told it: the messages it has, and its replies.</summary>
    private sealed partial class Page
    {
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource> waiting = new();

        public List<long> Seqs { get; } = [];
        public long LastSeq => Seqs.LastOrDefault();

        /// <summary>The page's replies as the server last put them (sent after each catch-up).</summary>
        public string Replies { get; private set; } = "";

        /// <summary>Done when a reply's text first streams in this round.</summary>
        public Task Streaming => streaming.Task;

        private TaskCompletionSource streaming = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Heard(Guid clientMessageId) =>
            waiting.GetOrAdd(clientMessageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        /// <summary>Reads until the server is gone.</summary>
        public async Task Read(LiveSocket socket)
        {
            streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                while (await socket.Next(TimeSpan.FromSeconds(60)) is { } fragment)
                    Take(fragment);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
            {
            }
        }

        /// <summary>Reads until it has <paramref name="lastSeq"/> and the replies as they stand.</summary>
        public async Task CatchUp(LiveSocket socket, int lastSeq, string round)
        {
            Replies = "";
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((LastSeq < lastSeq || Replies == "") && DateTime.UtcNow < deadline)
            {
                var fragment = await socket.Next(deadline - DateTime.UtcNow) ?? throw new InvalidOperationException($"{round}: closed while catching up");
                Assert.False(fragment.Contains("data-reload"), $"{round}: told to reload");
                Take(fragment);
            }
        }

        private void Take(string fragment)
        {
            if (fragment.StartsWith("<div hx-swap-oob=\"beforebegin:#replies\">"))
            {
                Seqs.Add(SeqOf(fragment));
                if (ClientId().Match(fragment) is { Success: true } sent && waiting.TryRemove(Guid.Parse(sent.Groups[1].Value), out var heard))
                    heard.TrySetResult();
            }
            else if (fragment.StartsWith("<div id=\"replies\" class=\"replies\""))
                Replies = fragment;
            else if (fragment.StartsWith("<div id=\"reply-text-"))
                streaming.TrySetResult();
        }

        [GeneratedRegex("data-client-id=\"([0-9a-f-]{36})\"")]
        private static partial Regex ClientId();
    }
}
