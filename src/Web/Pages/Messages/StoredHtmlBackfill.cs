using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// Messages saved before their HTML was stored get it once, in the background after start-up, in
/// batches; until then a page renders such a row when it reads it (<see cref="RoomHistory"/>). Every
/// message since is rendered when it is saved or edited, never when read.
/// </summary>
public sealed class StoredHtmlBackfill(IServiceScopeFactory scopes, MarkdownRenderer markdown, ILogger<StoredHtmlBackfill> logger)
    : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var done = 0;
            while (await db.Messages.Where(m => m.ContentHtml == null).OrderBy(m => m.Id).Take(Batch).ToListAsync(stopping) is { Count: > 0 } missing)
            {
                foreach (var message in missing)
                    message.ContentHtml = message.IsDeleted ? "" : markdown.ToHtml(message.Content);
                await db.SaveChangesAsync(stopping);
                db.ChangeTracker.Clear();
                done += missing.Count;
            }
            if (done > 0)
                logger.LogInformation("Rendered and stored the HTML of {Count} messages saved by an earlier version", done);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Storing the HTML of older messages stopped; they are rendered when read, and the next start goes on");
        }
    }
}
