using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Messages;

/// <summary>
/// Messages saved before their HTML was stored get it once, at start-up, in batches, before the app
/// serves them; from then on every message is rendered when it is saved or edited, never when read.
/// </summary>
public static class StoredHtml
{
    private const int Batch = 500;

    public static async Task BackfillAsync(AppDbContext db, MarkdownRenderer markdown, ILogger logger)
    {
        var done = 0;
        while (true)
        {
            var missing = await db.Messages.Where(m => m.ContentHtml == null).OrderBy(m => m.Id).Take(Batch).ToListAsync();
            if (missing.Count == 0)
                break;
            foreach (var message in missing)
                message.ContentHtml = message.IsDeleted ? "" : markdown.ToHtml(message.Content);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            done += missing.Count;
        }
        if (done > 0)
            logger.LogInformation("Rendered and stored the HTML of {Count} messages saved by an earlier version", done);
    }
}
