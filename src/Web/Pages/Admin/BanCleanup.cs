using AgentRooms.Data;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Messages;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Admin;

/// <summary>
/// After a ban, in the background: each message the person wrote is deleted as if they had deleted it
/// (open rooms see it go, its files go with it), and each agent they made is deleted (it leaves its
/// rooms, live). Safe to run again: it takes only what is still there.
/// </summary>
public sealed class BanCleanup(AppDbContext db, MessagePosting posting, MyAgents agents, ILogger<BanCleanup> logger)
{
    private const int Batch = 100;

    public async Task Run(string userId, CancellationToken cancel)
    {
        var deleted = 0;
        while (await db.Messages.Where(m => m.SenderUserId == userId && m.DeletedAt == null).OrderBy(m => m.Id).Take(Batch).ToListAsync(cancel)
               is { Count: > 0 } messages)
        {
            foreach (var message in messages)
                await posting.Delete(message, cancel);
            deleted += messages.Count;
            db.ChangeTracker.Clear();
        }
        var made = await db.Agents.Where(a => a.CreatedById == userId && a.DeletedAt == null).ToListAsync(cancel);
        foreach (var agent in made)
            await agents.Delete(agent);
        logger.LogInformation("Ban of {UserId}: {Messages} messages and {Agents} agents removed", userId, deleted, made.Count);
    }
}

/// <summary>One ban's cleanup as a job: retried by Hangfire if a step fails, since each run takes only what is left.</summary>
[AutomaticRetry(Attempts = 3)]
public sealed class BanCleanupJob(BanCleanup cleanup)
{
    public Task Run(string userId, CancellationToken cancel) => cleanup.Run(userId, cancel);
}
