using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Agents;

/// <summary>
/// Picks up replies a crash left behind: pending ones whose job never ran are queued again, and
/// running ones whose worker died are handed back. The responder's claim keeps it to one answer.
/// </summary>
public sealed class AgentReplySweeper(AppDbContext db, IBackgroundJobClient jobs, IOptions<AgentOptions> options)
{
    public static readonly TimeSpan PendingGrace = TimeSpan.FromSeconds(30);

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task Sweep()
    {
        var now = DateTime.UtcNow;
        var pendingBefore = now - PendingGrace;
        var pending = await db.AgentReplies.Where(r => r.Status == AgentReplyStatus.Pending && r.CreatedAt < pendingBefore)
            .Select(r => r.Id).ToListAsync();
        foreach (var id in pending)
            ReplyStarter.Enqueue(jobs, id);

        // A worker that died mid-reply: past the deadline, no live worker still holds it.
        var runningBefore = now - options.Value.Deadline - PendingGrace;
        var orphaned = await db.AgentReplies.Where(r => r.Status == AgentReplyStatus.Running && r.StartedAt < runningBefore)
            .Select(r => r.Id).ToListAsync();
        foreach (var id in orphaned)
        {
            if (await db.AgentReplies.Where(r => r.Id == id && r.Status == AgentReplyStatus.Running)
                    .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Pending)) == 1)
                ReplyStarter.Enqueue(jobs, id);
        }
    }
}
