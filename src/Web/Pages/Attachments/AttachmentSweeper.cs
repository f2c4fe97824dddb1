using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>
/// Removes uploads nobody sent (left in a composer, a closed tab) once <see cref="AttachmentOptions.PendingFor"/>
/// has passed: their rows, then their bytes. Several nodes may sweep at once; each removal is safe twice.
/// </summary>
public sealed class AttachmentSweeper(IServiceScopeFactory scopes, IOptions<AttachmentOptions> options, ILogger<AttachmentSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            do
            {
                try
                {
                    await Sweep(stopping);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Sweeping unsent uploads failed; trying again in {Interval}", options.Value.SweepInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public async Task Sweep(CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var files = scope.ServiceProvider.GetRequiredService<MessageFiles>();
        var before = DateTime.UtcNow - options.Value.PendingFor;
        while (true)
        {
            var stale = await db.Attachments.Where(a => a.MessageId == null && a.CreatedAt < before)
                .OrderBy(a => a.CreatedAt).Select(a => new { a.Id, a.Key }).Take(500).ToListAsync(cancel);
            if (stale.Count == 0)
                return;
            var ids = stale.Select(s => s.Id).ToList();
            await db.Attachments.Where(a => ids.Contains(a.Id) && a.MessageId == null).ExecuteDeleteAsync(cancel);
            // One sent this very moment kept its row, and keeps its bytes.
            var sent = await db.Attachments.Where(a => ids.Contains(a.Id)).Select(a => a.Key).ToListAsync(cancel);
            files.Forget(stale.Select(s => s.Key).Except(sent));
        }
    }
}
