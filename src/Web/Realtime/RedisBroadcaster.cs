using System.Buffers.Binary;
using System.Text;
using AgentRooms.Web.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// The broadcaster of several nodes (<c>Redis:Configuration</c> set). A fragment is rendered once,
/// on the node where the event happens; that node hands it to its own sockets at once and publishes
/// the same bytes once on Redis, and every other node hands them to its sockets. Membership changes,
/// sign-outs, rooms-list notes and commands (Stop: the reply may be produced on any node) travel the same way. Publishing never
/// makes a request wait: while Redis is unreachable a node keeps serving its own sockets, and pages
/// on other nodes fill the gap from the database with the next message they get, or through
/// <c>resume</c> when they reconnect.
/// </summary>
public sealed class RedisBroadcaster(
    IConnectionMultiplexer redis, InProcessBroadcaster local, IOptions<RedisOptions> options, ILogger<RedisBroadcaster> logger)
    : IRoomBroadcaster, IHostedService
{
    private enum Kind : byte { Fragment = 1, Disconnect = 2, SignedOut = 3, Command = 4, RoomChanged = 5, PersonRoomsChanged = 6 }

    private const int HeaderBytes = 16 + 1 + 4 + 8 + 2;
    private readonly Guid node = Guid.NewGuid();
    private readonly RedisChannel channel = RedisChannel.Literal($"{options.Value.Prefix}:rooms");
    private readonly CancellationTokenSource stopping = new();
    private Task subscribing = Task.CompletedTask;

    public async Task Publish(int roomId, ReadOnlyMemory<byte> fragment, long seq = 0)
    {
        await local.Publish(roomId, fragment, seq);
        await Send(Kind.Fragment, roomId, seq, "", fragment);
    }

    public async Task Disconnect(int roomId, string userId)
    {
        await local.Disconnect(roomId, userId);
        await Send(Kind.Disconnect, roomId, 0, userId, ReadOnlyMemory<byte>.Empty);
    }

    public async Task SignedOut(string userId)
    {
        await local.SignedOut(userId);
        await Send(Kind.SignedOut, 0, 0, userId, ReadOnlyMemory<byte>.Empty);
    }

    public async Task RoomChanged(int roomId)
    {
        await local.RoomChanged(roomId);
        await Send(Kind.RoomChanged, roomId, 0, "", ReadOnlyMemory<byte>.Empty);
    }

    public async Task PersonRoomsChanged(string userId, bool joinedOrLeft)
    {
        await local.PersonRoomsChanged(userId, joinedOrLeft);
        await Send(Kind.PersonRoomsChanged, 0, joinedOrLeft ? 1 : 0, userId, ReadOnlyMemory<byte>.Empty);
    }

    public async Task Command(string name, long value)
    {
        await local.Command(name, value);
        await Send(Kind.Command, 0, value, name, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Subscribes before the node serves anyone; if Redis is away, keeps trying in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TrySubscribe())
            subscribing = Task.Run(async () =>
            {
                while (!stopping.IsCancellationRequested && !await TrySubscribe())
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping.Token).ContinueWith(_ => { });
            });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await subscribing;
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(channel);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
        }
    }

    private async Task<bool> TrySubscribe()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(channel, (_, message) => Receive((byte[])message!));
            await WarnIfKeysMayBeEvicted();
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Redis is not reachable yet; this node serves its own sockets meanwhile");
            return false;
        }
    }

    /// <summary>[node 16][kind 1][room 4][seq, or the command's value 8][user id (or command name) length 2][user id][fragment]</summary>
    private async Task Send(Kind kind, int roomId, long seq, string userId, ReadOnlyMemory<byte> fragment)
    {
        var user = Encoding.UTF8.GetBytes(userId);
        var message = new byte[HeaderBytes + user.Length + fragment.Length];
        node.TryWriteBytes(message);
        message[16] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(17), roomId);
        BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(21), seq);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(29), (ushort)user.Length);
        user.CopyTo(message.AsSpan(HeaderBytes));
        fragment.Span.CopyTo(message.AsSpan(HeaderBytes + user.Length));
        try
        {
            // Fire and forget: sent at once, or queued while Redis reconnects; a message that arrives
            // late is dropped by pages that already have it (by Seq).
            await redis.GetSubscriber().PublishAsync(channel, message, CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Saved is saved: other nodes' pages catch up from the database.
            logger.LogWarning(exception, "Could not publish to Redis; other nodes catch up from the database");
        }
    }

    /// <summary>Another node's event, done here as that node did it at home.</summary>
    private Task Receive(byte[] message)
    {
        if (message.Length < HeaderBytes || new Guid(message.AsSpan(0, 16)) == node)
            return Task.CompletedTask;
        var roomId = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(17));
        var seq = BinaryPrimitives.ReadInt64LittleEndian(message.AsSpan(21));
        var userLength = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(29));
        var userId = Encoding.UTF8.GetString(message, HeaderBytes, userLength);
        return (Kind)message[16] switch
        {
            Kind.Fragment => local.Publish(roomId, message.AsMemory(HeaderBytes + userLength), seq),
            Kind.Disconnect => local.Disconnect(roomId, userId),
            Kind.SignedOut => local.SignedOut(userId),
            Kind.Command => local.Command(userId, seq),
            Kind.RoomChanged => local.RoomChanged(roomId),
            Kind.PersonRoomsChanged => local.PersonRoomsChanged(userId, seq == 1),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>
    /// Redis must keep what the nodes share: an evicting policy would lose it silently. CONFIG is an
    /// admin command, so the check uses a short-lived admin connection of its own.
    /// </summary>
    private async Task WarnIfKeysMayBeEvicted()
    {
        try
        {
            var options = ConfigurationOptions.Parse(redis.Configuration);
            options.AllowAdmin = true;
            options.AbortOnConnectFail = false;
            await using var admin = await ConnectionMultiplexer.ConnectAsync(options);
            foreach (var server in admin.GetServers())
            {
                var policy = (await server.ConfigGetAsync("maxmemory-policy")).FirstOrDefault().Value;
                if (policy is not null && policy != "noeviction")
                    logger.LogWarning("Redis at {Server} has maxmemory-policy {Policy}; AgentRooms needs noeviction", server.EndPoint, policy);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not read Redis's maxmemory-policy");
        }
    }
}
