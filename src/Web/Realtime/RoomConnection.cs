using AgentRooms.Web.Infrastructure;
using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace AgentRooms.Web.Realtime;

public enum RoomSocketClose
{
    Normal = 1000,
    PolicyViolation = 1008,
    MessageTooBig = 1009,
    ServiceRestart = 1012,
    TryAgainLater = 1013,
}

/// <summary>
/// One open page: a room page (<see cref="RoomId"/> &gt; 0), or any other page of a signed-in person
/// (<see cref="RoomId"/> 0, <c>/live</c>), which only hears that their rooms list changed. A bounded outbox drained by a single send loop (a WebSocket never sends
/// twice at once); a reader that falls too far behind is closed with 1013 and catches up when
/// it reconnects. New messages reach the page once each and in Seq order: the page says where it
/// stands (<c>resume</c>), later ones are sent in order, and any gap is read from the database.
/// </summary>
public sealed class RoomConnection(WebSocket socket, int roomId, string userId, string userName, IRoomCatchUp catchUp, ILogger logger)
{
    public const int OutboxCapacity = 512;
    /// <summary>Room for a send of the longest message, every character escaped.</summary>
    public const int MaxFrameBytes = 32 * 1024;
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(15);

    private readonly Channel<Outgoing> outbox = Channel.CreateBounded<Outgoing>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource<Resume> resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource aborting = new();
    /// <summary>
    /// How the socket is closed. An ending nobody chose (no resume in time, a database that failed mid
    /// catch-up) says "try again later", which the page's socket retries: a 1000 there would leave the
    /// page "Reconnecting…" for good, since htmx retries only 1006, 1011, 1012 and 1013.
    /// </summary>
    private RoomSocketClose closeCode = RoomSocketClose.TryAgainLater;
    private string closeReason = "";
    private long lastSentSeq;

    public int RoomId => roomId;
    public string UserId => userId;
    public string UserName => userName;

    /// <summary>The rooms whose lines in this page's rooms list it keeps up to date (the person's rooms); kept by <see cref="ConnectionRegistry"/>.</summary>
    internal int[] Watching { get; set; } = [];
    internal Lock WatchGate { get; } = new();
    internal bool Retired { get; set; }

    /// <summary>What is going on in the room now, sent after the catch-up (<see cref="IRoomNow"/>).</summary>
    public IReadOnlyList<IRoomNow> Now { get; init; } = [];

    /// <summary>Raised for each <c>typing</c> the page sends.</summary>
    public Func<RoomConnection, Task>? Typing { get; init; }

    /// <summary>Saves a <c>send</c>: null when saved, else why not (sent back to this page only).</summary>
    public Func<RoomConnection, string, Guid, long?, IReadOnlyCollection<Guid>, Task<string?>>? Sending { get; init; }

    /// <summary>Frames the page may send per second (<c>Realtime:FramesPerSecond</c>); one more closes the socket.</summary>
    public int FramesPerSecond { get; init; } = 20;

    /// <summary>Raised for each <c>read</c>: the reader has seen the room up to that Seq.</summary>
    public Func<RoomConnection, long, Task>? Reading { get; init; }

    /// <summary>Set while a note of a new message waits for the registry's next flush (at most one a second).</summary>
    internal int Noted;

    /// <summary>The room of the latest new message noted for this page.</summary>
    internal int NotedRoom;

    /// <summary>Counts what is delivered and what is dropped.</summary>
    public AppMetrics? Metrics { get; init; }

    public void Enqueue(ReadOnlyMemory<byte> fragment, long seq)
    {
        if (!outbox.Writer.TryWrite(new Outgoing(fragment, seq)))
        {
            Metrics?.OutboxDropped();
            Close(RoomSocketClose.TryAgainLater, "too far behind");
        }
    }

    /// <summary>Stops delivery at once; a send stuck on a reader that does not read is aborted after a second.</summary>
    public void Close(RoomSocketClose code, string reason)
    {
        if (stopping.IsCancellationRequested)
            return;
        closeCode = code;
        closeReason = reason;
        stopping.Cancel();
        aborting.CancelAfter(TimeSpan.FromSeconds(1));
    }

    /// <summary>Drops the connection without a closing handshake, as a dead network does.</summary>
    public void Abort()
    {
        stopping.Cancel();
        socket.Abort();
    }

    public async Task Run(CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, aborting.Token);
        var receiving = Receive(linked.Token);
        try
        {
            await Send(linked.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or TimeoutException)
        {
            logger.LogDebug("Room {RoomId} socket of {UserId} ends: {Reason}", roomId, userId, exception.Message);
        }
        finally
        {
            Close(closeCode, closeReason);
            await CloseSocket();
            // The page answers the close frame, or the abort timer (a second) ends the wait; only then
            // is the connection cut, so the page reads the close code instead of a reset.
            await receiving;
            if (socket.State != WebSocketState.Closed)
                socket.Abort();
        }
    }

    private async Task Send(CancellationToken abort)
    {
        if (roomId == 0)
        {
            // Not a room: nothing to resume, only notes to pass on.
            await foreach (var item in outbox.Reader.ReadAllAsync(stopping.Token))
                await Write(item.Fragment, abort);
            return;
        }
        var resume = await resumed.Task.WaitAsync(ResumeTimeout, stopping.Token);
        lastSentSeq = resume.After;
        foreach (var fragment in await catchUp.Changed(roomId, resume.Since, resume.After, abort))
            await Write(fragment, abort);
        await SendNewer(long.MaxValue, abort);
        foreach (var now in Now)
            if (!stopping.IsCancellationRequested)
                await Write(await now.Now(roomId, abort), abort);

        await foreach (var item in outbox.Reader.ReadAllAsync(stopping.Token))
        {
            if (item.Seq > 0)
            {
                if (item.Seq <= lastSentSeq)
                    continue;
                if (item.Seq > lastSentSeq + 1)
                    await SendNewer(item.Seq - 1, abort);
                lastSentSeq = item.Seq;
            }
            await Write(item.Fragment, abort);
        }
    }

    /// <summary>Sends, from the database, the messages after the last one this page has, up to <paramref name="throughSeq"/>.</summary>
    private async Task SendNewer(long throughSeq, CancellationToken abort)
    {
        if (await catchUp.After(roomId, lastSentSeq, throughSeq, abort) is not { } missed)
        {
            await Write(catchUp.ReloadNote(roomId), abort);
            Close(RoomSocketClose.Normal, "reload");
            return;
        }
        foreach (var (seq, fragment) in missed)
        {
            await Write(fragment, abort);
            lastSentSeq = seq;
        }
    }

    private ValueTask Write(ReadOnlyMemory<byte> fragment, CancellationToken abort)
    {
        stopping.Token.ThrowIfCancellationRequested();
        Metrics?.Delivered();
        return socket.SendAsync(fragment, WebSocketMessageType.Text, endOfMessage: true, abort);
    }

    /// <summary>
    /// Waits for the page's next frame with a zero-byte read, so an idle socket holds no buffer;
    /// a pooled one is borrowed only while a frame is read and handled.
    /// </summary>
    private async Task Receive(CancellationToken abort)
    {
        var windowStart = DateTime.UtcNow;
        var framesInWindow = 0;
        try
        {
            while (!stopping.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(Memory<byte>.Empty, abort)).MessageType == WebSocketMessageType.Close)
                {
                    Close(RoomSocketClose.Normal, "");
                    return;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(MaxFrameBytes);
                try
                {
                    if (await ReadFrame(buffer, abort) is not { } length)
                        return;
                    // Closing (signed out, removed, a new password): nothing the page sends now is acted on.
                    if (stopping.IsCancellationRequested)
                        return;
                    if ((DateTime.UtcNow - windowStart).TotalSeconds >= 1)
                        (windowStart, framesInWindow) = (DateTime.UtcNow, 0);
                    if (++framesInWindow > FramesPerSecond)
                    {
                        Close(RoomSocketClose.PolicyViolation, "too many frames");
                        return;
                    }
                    await Handle(buffer.AsMemory(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            Close(closeCode, closeReason);
        }
    }

    /// <summary>One whole frame into <paramref name="buffer"/>: its length, or null when the page closed or the frame is too big (the socket is then closing).</summary>
    private async Task<int?> ReadFrame(byte[] buffer, CancellationToken abort)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == MaxFrameBytes)
            {
                Close(RoomSocketClose.MessageTooBig, "frames are limited to 32 KB");
                return null;
            }
            result = await socket.ReceiveAsync(buffer.AsMemory(length, MaxFrameBytes - length), abort);
            length += result.Count;
        } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        if (result.MessageType != WebSocketMessageType.Close)
            return length;
        Close(RoomSocketClose.Normal, "");
        return null;
    }

    private async Task Handle(ReadOnlyMemory<byte> frame)
    {
        ClientMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(frame.Span, RealtimeJson.Default.ClientMessage);
        }
        catch (JsonException)
        {
            return; // Not ours; ignore it.
        }
        switch (message?.Type)
        {
            case "resume":
                resumed.TrySetResult(new Resume(Math.Max(0, message.After ?? 0), Math.Max(0, message.Since ?? message.After ?? 0)));
                break;
            case "typing" when Typing is not null:
                await Typing(this);
                break;
            case "send" when Sending is not null:
                var clientMessageId = message.ClientMessageId ?? Guid.Empty;
                string? refused;
                try
                {
                    // A key that is no key is a file that is not there: the send is refused for it, not dropped unanswered.
                    var files = (message.Files ?? []).Select(key => Guid.TryParse(key, out var file) ? file : Guid.Empty).ToList();
                    refused = await Sending(this, message.Content ?? "", clientMessageId, message.Quote, files);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Room {RoomId}: a send of {UserId} failed", roomId, userId);
                    refused = "Your message could not be saved. Try sending it again.";
                }
                // A page that is told nothing has its message arrive like everyone else's.
                if (refused is not null)
                    Enqueue(JsonSerializer.SerializeToUtf8Bytes(new NotSent("not-sent", clientMessageId, refused), RealtimeJson.Default.NotSent), 0);
                break;
            case "read" when Reading is not null && message.Seq is > 0:
                try
                {
                    await Reading(this, message.Seq.Value);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Only the unread count is behind; the next read or page load sets it.
                    logger.LogWarning(exception, "Room {RoomId}: a read mark of {UserId} was not saved", roomId, userId);
                }
                break;
        }
    }

    private async Task CloseSocket()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, closeReason, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }
    }

    private readonly record struct Outgoing(ReadOnlyMemory<byte> Fragment, long Seq);

    private readonly record struct Resume(long After, long Since);
}

public sealed record ClientMessage(string? Type, long? After, long? Since, string? Content, Guid? ClientMessageId, long? Seq, long? Quote = null,
    string[]? Files = null);

/// <summary>Tells the sender's page that its send was refused: plain JSON, which htmx leaves to room.js.</summary>
public sealed record NotSent(string Type, Guid ClientMessageId, string Reason);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClientMessage))]
[System.Text.Json.Serialization.JsonSerializable(typeof(NotSent))]
internal sealed partial class RealtimeJson : System.Text.Json.Serialization.JsonSerializerContext;
