using AgentRooms.Web.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Whether some live worker still produces a running reply, so the sweeper hands a reply to another
/// worker only when the one that claimed it is gone.
/// </summary>
public interface IReplyLeases
{
    Task<bool> IsHeld(long replyId);
}

/// <summary>One node: the replies running in this process are all there are.</summary>
public sealed class LocalReplyLeases(RunningReplies running) : IReplyLeases
{
    public Task<bool> IsHeld(long replyId) => Task.FromResult(running.IsRunning(replyId));
}

/// <summary>
/// Several nodes: each node keeps a key per reply it is producing, renewed four times per
/// <see cref="AgentOptions.OrphanAfter"/>; a node that dies stops renewing and its keys expire.
/// While Redis cannot be asked, every reply counts as held: better late than twice.
/// </summary>
public sealed class RedisReplyLeases(
    IConnectionMultiplexer redis, RunningReplies running, IOptions<AgentOptions> options, IOptions<RedisOptions> redisOptions, ILogger<RedisReplyLeases> logger)
    : BackgroundService, IReplyLeases
{
    private readonly string prefix = redisOptions.Value.Prefix;

    public async Task<bool> IsHeld(long replyId)
    {
        if (running.IsRunning(replyId))
            return true;
        try
        {
            return !redis.IsConnected || await redis.GetDatabase().KeyExistsAsync(Key(replyId));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return true;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var lifetime = options.Value.OrphanAfter;
        using var timer = new PeriodicTimer(lifetime / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (!redis.IsConnected)
                    continue;
                try
                {
                    var db = redis.GetDatabase();
                    await Task.WhenAll(running.Ids.Select(id => db.StringSetAsync(Key(id), 1, lifetime)));
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    logger.LogWarning(exception, "Could not renew reply leases in Redis");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private RedisKey Key(long replyId) => $"{prefix}:reply:{replyId}";
}
