using System.Collections.Concurrent;
using AgentRooms.Web.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// "Alice is typing…": shown while the page keeps saying so (it repeats every couple of seconds),
/// gone three seconds after the last word or as soon as the message arrives. Who is typing is
/// kept by <see cref="ITypers"/>: in memory on one node, in Redis on several.
/// </summary>
public sealed class Typing(ITypers typers, ITypingView view, IRoomBroadcaster broadcaster, ILogger<Typing> logger)
{
    public static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(3);

    public async Task Started(int roomId, string userId, string name)
    {
        if (await typers.Set(roomId, userId, name, DateTime.UtcNow + ShownFor))
            await Publish(roomId);
        _ = ExpireLater(roomId);
    }

    public async Task Stopped(int roomId, string userId)
    {
        if (await typers.Remove(roomId, userId))
            await Publish(roomId);
    }

    /// <summary>Nobody waits for it, so it logs its own failures.</summary>
    private async Task ExpireLater(int roomId)
    {
        try
        {
            await Task.Delay(ShownFor + TimeSpan.FromMilliseconds(100));
            if (await typers.RemoveExpired(roomId, DateTime.UtcNow))
                await Publish(roomId);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not clear who is typing in room {RoomId}", roomId);
        }
    }

    private async Task Publish(int roomId)
    {
        await broadcaster.Publish(roomId, await view.Render(await typers.Who(roomId, DateTime.UtcNow)));
    }
}

/// <summary>Who is typing in each room, and until when.</summary>
public interface ITypers
{
    /// <summary>True when the person was not shown typing before.</summary>
    Task<bool> Set(int roomId, string userId, string name, DateTime until);

    /// <summary>True when the person was shown typing.</summary>
    Task<bool> Remove(int roomId, string userId);

    /// <summary>True when anyone's time ran out.</summary>
    Task<bool> RemoveExpired(int roomId, DateTime now);

    /// <summary>Who is typing now, by name.</summary>
    Task<IReadOnlyList<Typer>> Who(int roomId, DateTime now);
}

public readonly record struct Typer(string UserId, string Name);

public sealed class LocalTypers : ITypers
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, (string Name, DateTime Until)>> rooms = new();

    public Task<bool> Set(int roomId, string userId, string name, DateTime until)
    {
        var typers = rooms.GetOrAdd(roomId, _ => new());
        var isNew = !typers.TryGetValue(userId, out var before) || before.Until <= DateTime.UtcNow;
        typers[userId] = (name, until);
        return Task.FromResult(isNew);
    }

    public Task<bool> Remove(int roomId, string userId) =>
        Task.FromResult(rooms.TryGetValue(roomId, out var typers) && typers.TryRemove(userId, out _));

    public Task<bool> RemoveExpired(int roomId, DateTime now)
    {
        if (!rooms.TryGetValue(roomId, out var typers))
            return Task.FromResult(false);
        var expired = typers.Where(t => t.Value.Until <= now).ToList();
        return Task.FromResult(expired.Count(t => typers.TryRemove(t)) > 0);
    }

    public Task<IReadOnlyList<Typer>> Who(int roomId, DateTime now) =>
        Task.FromResult<IReadOnlyList<Typer>>(rooms.TryGetValue(roomId, out var typers)
            ? typers.Where(t => t.Value.Until > now).Select(t => new Typer(t.Key, t.Value.Name)).OrderBy(t => t.Name).ToList()
            : []);
}

/// <summary>
/// Several nodes: a Redis hash per room, person → "until|name", so whichever node hears someone type
/// shows everyone typing, wherever they typed. While Redis is away, each node keeps its own.
/// </summary>
public sealed class RedisTypers(IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisTypers> logger) : ITypers
{
    private readonly string prefix = options.Value.Prefix;
    private readonly LocalTypers fallback = new();

    /// <summary>Removes a field only if it still holds what was read, so a fresh "typing" is never lost to an old expiry.</summary>
    private static readonly LuaScript RemoveIfUnchanged = LuaScript.Prepare(
        "if redis.call('HGET', @key, @field) == @value then return redis.call('HDEL', @key, @field) end return 0");

    public Task<bool> Set(int roomId, string userId, string name, DateTime until) => Try(async db =>
    {
        // Sent together, one round trip; one connection keeps their order, so the read sees what was there before.
        var before = db.HashGetAsync(Key(roomId), userId);
        var set = db.HashSetAsync(Key(roomId), userId, $"{until.Ticks}|{name}");
        var expire = db.KeyExpireAsync(Key(roomId), Typing.ShownFor * 3);
        await Task.WhenAll(before, set, expire);
        return before.Result.IsNull || Parse(before.Result).Until <= DateTime.UtcNow;
    }, () => fallback.Set(roomId, userId, name, until));

    public Task<bool> Remove(int roomId, string userId) =>
        Try(db => db.HashDeleteAsync(Key(roomId), userId), () => fallback.Remove(roomId, userId));

    public Task<bool> RemoveExpired(int roomId, DateTime now) => Try(async db =>
    {
        var removed = 0;
        foreach (var entry in await db.HashGetAllAsync(Key(roomId)))
            if (Parse(entry.Value).Until <= now)
                removed += (int)await db.ScriptEvaluateAsync(RemoveIfUnchanged, new { key = Key(roomId), field = entry.Name, value = entry.Value });
        return removed > 0;
    }, () => fallback.RemoveExpired(roomId, now));

    public Task<IReadOnlyList<Typer>> Who(int roomId, DateTime now) => Try<IReadOnlyList<Typer>>(async db =>
        (await db.HashGetAllAsync(Key(roomId))).Select(e => (UserId: (string)e.Name!, Entry: Parse(e.Value))).Where(t => t.Entry.Until > now)
            .Select(t => new Typer(t.UserId, t.Entry.Name)).OrderBy(t => t.Name).ToList(),
        () => fallback.Who(roomId, now));

    /// <summary>Typing is a courtesy: it never holds up a message or a socket while Redis is away.</summary>
    private async Task<T> Try<T>(Func<IDatabase, Task<T>> shared, Func<Task<T>> local)
    {
        if (!redis.IsConnected)
            return await local();
        try
        {
            return await shared(redis.GetDatabase());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not reach Redis for typing; this node keeps its own meanwhile");
            return await local();
        }
    }

    private RedisKey Key(int roomId) => $"{prefix}:typing:{roomId}";

    private static (DateTime Until, string Name) Parse(RedisValue value) =>
        ((string?)value)?.Split('|', 2) is [var ticks, var name] && long.TryParse(ticks, out var t)
            ? (new DateTime(t, DateTimeKind.Utc), name)
            : (DateTime.MinValue, "");
}
