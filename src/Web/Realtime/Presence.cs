using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentRooms.Web.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentRooms.Web.Realtime;

/// <summary>Who has a room open right now, on any node.</summary>
public interface IPresence
{
    /// <summary>The user's first socket on the room opened on this node, or their last one closed.</summary>
    void Changed(int roomId, string userId);

    Task<IReadOnlySet<string>> UsersIn(int roomId, CancellationToken cancel = default);
}

/// <summary>One node: the sockets open here are everyone.</summary>
public sealed class LocalPresence(ConnectionRegistry registry, PresenceUpdates updates) : IPresence
{
    public void Changed(int roomId, string userId) => updates.Changed(roomId);

    public Task<IReadOnlySet<string>> UsersIn(int roomId, CancellationToken cancel = default) => Task.FromResult(registry.UsersIn(roomId));
}

/// <summary>
/// Several nodes: each room has a sorted set in Redis of "node|user" entries scored by when they
/// expire. A node writes its own entries as its people arrive and leave, renews them a few times per
/// lifetime, and removes them when it stops; the entries of a node that dies expire, and the nodes
/// still showing the room notice on their next renewal and push the member list. While Redis is away,
/// a node shows who is here on its own sockets and writes everything again once Redis is back.
/// </summary>
public sealed class RedisPresence(
    IConnectionMultiplexer redis, ConnectionRegistry registry, PresenceUpdates updates, IOptions<RedisOptions> options, ILogger<RedisPresence> logger)
    : BackgroundService, IPresence
{
    /// <summary>How long a node's entries live unrenewed (<c>Redis:PresenceSeconds</c>); renewed every third of it.</summary>
    private readonly TimeSpan lifetime = TimeSpan.FromSeconds(options.Value.PresenceSeconds);

    private readonly string prefix = options.Value.Prefix;
    private readonly string node = Guid.NewGuid().ToString("N");
    private readonly Channel<(int RoomId, string UserId)> changes = Channel.CreateUnbounded<(int, string)>(new() { SingleReader = true });

    /// <summary>The entries this node has written and not yet removed, so it can take them all back when it stops.</summary>
    private readonly ConcurrentDictionary<(int RoomId, string UserId), byte> written = new();

    public void Changed(int roomId, string userId) => changes.Writer.TryWrite((roomId, userId));

    public async Task<IReadOnlySet<string>> UsersIn(int roomId, CancellationToken cancel = default)
    {
        var here = new HashSet<string>(registry.UsersIn(roomId)); // this node knows its own best
        if (!redis.IsConnected)
            return here;
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var entry in await redis.GetDatabase().SortedSetRangeByScoreAsync(Key(roomId), now, double.PositiveInfinity))
                if (UserOf(entry) is { } userId)
                    here.Add(userId);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not read who is here from Redis; showing this node's own sockets");
        }
        return here;
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var renewing = Renew(stopping);
        // One writer, in order, reading the registry when it writes: the last write for a person is what is true now.
        try
        {
            await foreach (var (roomId, userId) in changes.Reader.ReadAllAsync(stopping))
            {
                await Write(roomId, userId);
                updates.Changed(roomId);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await renewing;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (written.IsEmpty || !redis.IsConnected)
            return;
        try
        {
            var db = redis.GetDatabase();
            await Task.WhenAll(written.Keys.Select(e => db.SortedSetRemoveAsync(Key(e.RoomId), Entry(e.UserId))));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not take this node's presence out of Redis; it expires by itself");
        }
    }

    private async Task Write(int roomId, string userId)
    {
        if (!redis.IsConnected)
            return; // not waiting on a command timeout per arrival; the first renewal after Redis is back writes it
        try
        {
            var db = redis.GetDatabase();
            if (registry.Has(roomId, userId))
            {
                await db.SortedSetAddAsync(Key(roomId), Entry(userId), Expiry());
                await db.KeyExpireAsync(Key(roomId), lifetime * 2);
                written[(roomId, userId)] = 0;
            }
            else
            {
                await db.SortedSetRemoveAsync(Key(roomId), Entry(userId));
                written.TryRemove((roomId, userId), out _);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not write presence to Redis; written again on the next renewal");
        }
    }

    /// <summary>Renews this node's entries and drops other nodes' expired ones in every room open here.</summary>
    private async Task Renew(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(lifetime / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (redis.IsConnected)
                    await RenewOnce();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RenewOnce()
    {
        try
        {
            var db = redis.GetDatabase();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var (roomId, users) in registry.Rooms())
            {
                var key = Key(roomId);
                var expiry = Expiry();
                await db.SortedSetAddAsync(key, users.Select(u => new SortedSetEntry(Entry(u), expiry)).ToArray());
                await db.KeyExpireAsync(key, lifetime * 2);
                foreach (var userId in users)
                    written[(roomId, userId)] = 0;
                if (await db.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now) > 0)
                    updates.Changed(roomId); // a node died with people on this room
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not renew presence in Redis");
        }
    }

    private RedisKey Key(int roomId) => $"{prefix}:presence:{roomId}";

    private RedisValue Entry(string userId) => $"{node}|{userId}";

    private double Expiry() => (DateTimeOffset.UtcNow + lifetime).ToUnixTimeMilliseconds();

    private static string? UserOf(RedisValue entry) => ((string?)entry)?.Split('|', 2) is [_, var userId] ? userId : null;
}
