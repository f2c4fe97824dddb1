using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentRooms.Bench;

/// <summary>
/// S4s: posts sent as the composer sends them, a <c>send</c> frame over the room's socket, each done
/// when the sender's own copy (carrying its client id) comes back on that socket. Each poster takes a
/// socket of the room for the length of one send, so no socket sends twice at once.
/// </summary>
public sealed partial class SocketPosts(Func<int, Task<ClientWebSocket>> connect, Func<int, Task<long>> lastSeq) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<ClientWebSocket>> idle = new();
    private readonly ConcurrentDictionary<Guid, (ClientWebSocket Socket, TaskCompletionSource Echoed)> waiting = new();
    private readonly ConcurrentBag<ClientWebSocket> all = [];
    private readonly CancellationTokenSource stop = new();

    public async Task Post(int roomId, string content)
    {
        var socket = idle.GetOrAdd(roomId, _ => []).TryTake(out var free) ? free : await Open(roomId);
        var id = Guid.NewGuid();
        var echoed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[id] = (socket, echoed);
        try
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "send", content, clientMessageId = id }),
                WebSocketMessageType.Text, true, CancellationToken.None);
            await echoed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            waiting.TryRemove(id, out _);
            idle[roomId].Add(socket);
        }
    }

    private async Task<ClientWebSocket> Open(int roomId)
    {
        var socket = await connect(roomId);
        // The page says where it stands: from the room's newest message on, so nothing old is replayed.
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"resume\",\"after\":{await lastSeq(roomId)}}}"),
            WebSocketMessageType.Text, true, CancellationToken.None);
        all.Add(socket);
        _ = Read(socket);
        return socket;
    }

    private async Task Read(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var frame = new StringBuilder();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await Frames.Next(socket, buffer, frame, stop.Token) is not { } text)
                    break;
                var echo = ClientId().Match(text);
                if (echo.Success && waiting.TryGetValue(Guid.Parse(echo.Groups[1].Value), out var sent))
                    sent.Echoed.TrySetResult();
                else if (NotSent().Match(text) is { Success: true } refused && waiting.TryGetValue(Guid.Parse(refused.Groups[1].Value), out var failed))
                    failed.Echoed.TrySetException(new InvalidOperationException($"not sent: {text}"));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }
        foreach (var pending in waiting.Values.Where(w => w.Socket == socket))
            pending.Echoed.TrySetException(new InvalidOperationException($"a posting socket closed ({socket.CloseStatus} {socket.CloseStatusDescription})"));
    }

    [GeneratedRegex("data-client-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex ClientId();

    [GeneratedRegex("\"type\":\"not-sent\",\"clientMessageId\":\"([0-9a-f-]{36})\"")]
    private static partial Regex NotSent();

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        foreach (var socket in all)
            socket.Abort();
        return ValueTask.CompletedTask;
    }
}
