using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Realtime;

/// <summary>Nodes on a Redis of the test's own, which it can misconfigure or kill (MariaDB for the data).</summary>
public sealed class RedisOutageTests(MariaDbAppFactory app) : IClassFixture<MariaDbAppFactory>
{
    [Fact]
    public async Task A_node_warns_at_start_when_Redis_may_evict_keys()
    {
        var port = AppProcess.FreePort();
        using var evicting = StartRedis(port, "allkeys-lru");
        try
        {
            using var node = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.evicting",
                new Dictionary<string, string> { ["Redis__Configuration"] = $"127.0.0.1:{port}" });
            await Eventually.True(() => node.Output.Any(line => line.Contains("maxmemory-policy allkeys-lru")), what: "the warning");
            Assert.Contains(node.Output, line => line.Contains("needs noeviction"));
        }
        finally
        {
            evicting.Kill();
        }
    }

    [Fact]
    public async Task A_node_without_its_Redis_is_not_ready_but_stays_alive()
    {
        var port = AppProcess.FreePort();
        var redis = StartRedis(port);
        try
        {
            using var node = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.ready",
                new Dictionary<string, string> { ["Redis__Configuration"] = $"127.0.0.1:{port}" });
            using var client = new HttpClient();
            Assert.Equal("ready", await client.GetStringAsync($"{node.BaseUrl}/readyz"));
            Assert.Equal(1, Scrape.Value(await client.GetStringAsync($"{node.BaseUrl}/metrics"), "agentrooms_redis_connected"));

            redis.Kill();
            redis.WaitForExit();
            await Eventually.True(async () => (await client.GetAsync($"{node.BaseUrl}/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable,
                what: "the node to say it is not ready");
            Assert.Equal("redis unreachable", await (await client.GetAsync($"{node.BaseUrl}/readyz")).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{node.BaseUrl}/healthz")).StatusCode);
            await Eventually.True(async () => Scrape.Value(await client.GetStringAsync($"{node.BaseUrl}/metrics"), "agentrooms_redis_connected") == 0,
                what: "the connection's gauge to fall to 0");
        }
        finally
        {
            if (!redis.HasExited)
                redis.Kill();
        }
    }

    [Fact]
    public async Task Restarting_Redis_loses_no_saved_message_and_pages_on_other_nodes_catch_up_in_order()
    {
        var port = AppProcess.FreePort();
        var redis = StartRedis(port);
        try
        {
            var settings = new Dictionary<string, string> { ["Redis__Configuration"] = $"127.0.0.1:{port}" };
            using var first = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.restart1", settings);
            using var second = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.restart2", settings);
            var onFirst = Visitor.At(first.BaseUrl, new CookieContainer());
            Assert.Equal(HttpStatusCode.Redirect, (await onFirst.Register(People.NewEmail("restart"), "Patient")).Status);
            var roomId = await onFirst.CreateRoom("Through a Redis restart");
            await using var socket = new LiveSocket(await LiveSocket.Connect(second.BaseUrl, onFirst, roomId));
            await socket.Collect(f => f.Contains("id=\"members\""), 1);
            // A reader in the background: cancelling a pending receive would abort a real socket.
            var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (await socket.Next(TimeSpan.FromMinutes(2)) is { } fragment)
                        received.Enqueue(fragment);
                }
                catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            });

            Assert.Equal(HttpStatusCode.Redirect, (await onFirst.Send(roomId, "before")).Status);
            await Eventually.True(() => received.Any(IsAppend), what: "the first message on the other node");
            redis.Kill();
            redis.WaitForExit();
            for (var i = 1; i <= 3; i++)
                Assert.Equal(HttpStatusCode.Redirect, (await onFirst.Send(roomId, $"while away {i}")).Status);
            redis.Dispose();
            redis = StartRedis(port);

            // The nodes reconnect by themselves; once a new message gets through, the page has filled the gap.
            var after = 0;
            await Eventually.True(async () =>
            {
                Assert.Equal(HttpStatusCode.Redirect, (await onFirst.Send(roomId, $"after {++after}")).Status);
                await Task.Delay(500);
                return received.Any(f => IsAppend(f) && f.Contains("after "));
            }, TimeSpan.FromSeconds(40), "a message after the restart");

            var seqs = received.Where(IsAppend).Select(SeqOf).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
            Assert.True(seqs.Count >= 5, $"{seqs.Count} messages arrived");
            Assert.Contains(received, f => f.Contains("while away 3"));
        }
        finally
        {
            redis.Kill();
            redis.Dispose();
        }
    }

    [Fact]
    public async Task A_node_started_while_Redis_is_away_serves_and_answers_every_mention_once_Redis_is_back()
    {
        var model = new FakeModelServer();
        await model.InitializeAsync();
        var port = AppProcess.FreePort();
        using var node = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.late", new Dictionary<string, string>
        {
            ["Redis__Configuration"] = $"127.0.0.1:{port}",
            ["AI__Endpoint"] = model.Endpoint,
            ["AI__Model"] = "late-model",
            ["Agents__SweepInterval"] = "00:00:02",
            // Each reply's claim, model call and hand-back is logged, for the message of a failure.
            ["Logging__LogLevel__AgentRooms.Web.Pages.Agents"] = "Information",
            ["Logging__LogLevel__Hangfire"] = "Information",
        });
        var person = Visitor.At(node.BaseUrl, new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await person.Register(People.NewEmail("late"), "Early")).Status);
        var roomId = await person.CreateRoom("Before Redis");
        var agent = await app.CreateAgent(person, "Late", "late");
        await person.AddAgent(roomId, agent);
        Assert.Equal(HttpStatusCode.Redirect, (await person.Send(roomId, "@late are you there?")).Status);

        using var redis = StartRedis(port);
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, (await person.Send(roomId, "@late and now?")).Status);

            // The second is queued at once; the first, which found no queue, is queued by the sweeper.
            await Eventually.True(() => app.WithDb(db => db.AgentReplies.CountAsync(r => r.AgentId == agent && r.CompletedAt != null)).ContinueWith(t => t.Result == 2),
                TimeSpan.FromSeconds(60), "both replies");
            Assert.Equal(2, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.SenderAgentId == agent)));
            // One model call per reply: nothing failed at the model and no worker died.
            var calls = model.RequestsFor("late-model").Count;
            Assert.True(calls == 2, $"{calls} model calls for 2 replies. The node said:\n{string.Join("\n", node.Output)}");
        }
        finally
        {
            redis.Kill();
            await model.DisposeAsync();
        }
    }

    private static Process StartRedis(int port, string policy = "noeviction") =>
        Process.Start(new ProcessStartInfo("redis-server",
            ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", policy, "--logfile", "/dev/null"])
            { UseShellExecute = false })!;
}
