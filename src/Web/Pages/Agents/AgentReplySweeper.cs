using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Picks up replies a crash left behind: pending ones whose job never ran are queued again, and
/// running ones whose worker died (no node holds them any more, or they are past any deadline) are
/// handed back. The responder's claim keeps it to one answer.
/// </summary>
public sealed class AgentReplySweeper(
    AppDbContext db, IBackgroundJobClient jobs, IReplyLeases leases, ReplyFeed feed, IOptions<AgentOptions> options, ILogger<AgentReplySweeper> logger)
{
    public async Task Sweep()
    {
        var now = DateTime.UtcNow;
        var pendingBefore = now - options.Value.PendingGrace;
        var pending = await db.AgentReplies.Where(r => r.Status == AgentReplyStatus.Pending && r.CreatedAt < pendingBefore)
            .Select(r => r.Id).ToListAsync();
        foreach (var id in pending)
        {
            logger.LogInformation("Reply {ReplyId}: still pending, queued again", id);
            ReplyStarter.Enqueue(jobs, id);
        }

        // A worker that died mid-reply: no live worker holds it, or it is past any deadline.
        var unheldBefore = now - options.Value.OrphanAfter;
        var pastDeadline = now - options.Value.Deadline - options.Value.PendingGrace;
        var running = await db.AgentReplies.Where(r => r.Status == AgentReplyStatus.Running && r.StartedAt < unheldBefore)
            .Select(r => new { r.Id, r.StartedAt }).ToListAsync();
        foreach (var (id, startedAt) in running.Select(r => (r.Id, r.StartedAt)))
        {
            if (startedAt >= pastDeadline && await leases.IsHeld(id))
                continue;
            // Handed back, it starts again from nothing: the text so far and the tool steps go with the old run.
            if (await db.Database.LockingRowsOnly(cancel => db.AgentReplies.Where(r => r.Id == id && r.Status == AgentReplyStatus.Running)
                    .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Pending)
                        .SetProperty(x => x.PartialText, (string?)null).SetProperty(x => x.ToolSteps, (string?)null), cancel)) == 1)
            {
                logger.LogWarning("Reply {ReplyId}: running since {StartedAt:O} with no live worker; handed back", id, startedAt);
                await feed.Restarted(id);
                ReplyStarter.Enqueue(jobs, id);
            }
        }
    }
}

/// <summary>
/// Runs the sweeper on every node, every <see cref="AgentOptions.SweepInterval"/>. Not a Hangfire
/// recurring job: those take distributed locks, and a lock held by a node that was killed blocks
/// every other node until it expires (30 s on Redis), just when a dead node's replies need picking
/// up. Nodes sweeping at once is safe: a reply is handed back by one conditional update, and a
/// reply queued twice is still claimed once.
/// </summary>
public sealed class SweeperTimer(IServiceScopeFactory scopes, IOptions<AgentOptions> options, ILogger<SweeperTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<AgentReplySweeper>().Sweep();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning(exception, "Sweeping replies failed; trying again in {Interval}", options.Value.SweepInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
