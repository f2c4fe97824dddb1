using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Realtime;

public sealed class CrashTestsOnSqlite(SqliteAppFactory app) : CrashTests(app), IClassFixture<SqliteAppFactory>;

public sealed class CrashTestsOnMariaDb(MariaDbAppFactory app) : CrashTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>The server killed with SIGKILL under load, then started again on the same database.</summary>
public abstract class CrashTests(AppFactory app)
{
    [Fact]
    public async Task After_a_hard_kill_every_acknowledged_message_exists_once_and_clients_catch_up_in_order()
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated before the processes share it
        var port = AppProcess.FreePort();
        using var first = await AppProcess.Start(port, app.Provider, app.ConnectionString, app.HangfirePath);
        var cookies = new CookieContainer();
        using var person = Visitor.At(first.BaseUrl, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await person.Register(People.NewEmail("crash"), "Crash")).Status);
        var roomId = await person.CreateRoom("Under load");
        var token = await person.AnyToken();

        var received = new List<long>();
        using (var socket = await LiveSocket.Connect(first.BaseUrl, person, roomId))
        {
            var reading = Read(socket, received);
            var attempted = new ConcurrentDictionary<Guid, bool>();
            using var stop = new CancellationTokenSource();
            var posters = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var id = Guid.NewGuid();
                    attempted[id] = false;
                    try
                    {
                        attempted[id] = (await Post(person, roomId, token, id)).Status == HttpStatusCode.Redirect;
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();

            // Kill it in the middle of a steady stream of posts.
            var loaded = DateTime.UtcNow.AddSeconds(30);
            while (attempted.Count(a => a.Value) < 30 && DateTime.UtcNow < loaded)
                await Task.Delay(20);
            first.KillHard();
            stop.Cancel();
            await Task.WhenAll(posters);
            await reading;

            using var second = await AppProcess.Start(port, app.Provider, app.ConnectionString, app.HangfirePath);
            // The client retries whatever it was not sure of, with the same ids.
            foreach (var (id, _) in attempted.Where(a => !a.Value))
                Assert.Equal(HttpStatusCode.Redirect, (await Post(person, roomId, token, id)).Status);

            var acknowledged = attempted.Where(a => a.Value).Select(a => a.Key).ToList();
            var stored = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq)
                .Select(m => new { m.Seq, m.ClientMessageId }).ToListAsync());
            Assert.NotEmpty(acknowledged);
            Assert.All(acknowledged, id => Assert.Contains(stored, m => m.ClientMessageId == id));
            Assert.Equal(attempted.Count, stored.Count);
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => m.Seq));

            using var reconnected = await LiveSocket.Connect(second.BaseUrl, person, roomId, after: received.LastOrDefault());
            var catchingUp = new List<long>();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (received.LastOrDefault() + catchingUp.Count < stored.Count && DateTime.UtcNow < deadline)
                await ReadOne(reconnected, catchingUp);
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), received.Concat(catchingUp));
        }
    }

    private static Task<Visitor.Page> Post(Visitor person, int roomId, string token, Guid id) =>
        person.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Composer.Content"] = $"load {id}", ["Composer.ClientMessageId"] = id.ToString(),
        });

    private static async Task Read(WebSocket socket, List<long> seqs)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
                await ReadOne(socket, seqs);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task ReadOne(WebSocket socket, List<long> seqs)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
        if (result.MessageType == WebSocketMessageType.Close)
            throw new WebSocketException("closed");
        if (IsAppend(text.ToString()))
            seqs.Add(SeqOf(text.ToString()));
    }
}
