using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>A file of a message as everyone sees it: an image with its size (for its thumbnail), or a card.</summary>
public sealed record AttachmentShown(Guid Key, string FileName, string ContentType, long Size, int? Width, int? Height)
{
    public bool IsImage => Width is not null && Height is not null;

    public FileKind Kind => FileKind.FromContentType(ContentType);

    /// <summary>The files of each of <paramref name="messageIds"/> that has any: images first (they show as a row of pictures), then the others, each in the order they were uploaded.</summary>
    public static async Task<Dictionary<long, IReadOnlyList<AttachmentShown>>> Of(AppDbContext db, IReadOnlyCollection<long> messageIds, CancellationToken cancel = default)
    {
        if (messageIds.Count == 0)
            return [];
        var rows = await db.Attachments.Where(a => a.MessageId != null && messageIds.Contains(a.MessageId.Value))
            .OrderBy(a => a.Width == null).ThenBy(a => a.Id)
            .Select(a => new { MessageId = a.MessageId!.Value, Shown = new AttachmentShown(a.Key, a.FileName, a.ContentType, a.Size, a.Width, a.Height) })
            .AsNoTracking().ToListAsync(cancel);
        return rows.GroupBy(r => r.MessageId).ToDictionary(m => m.Key, m => (IReadOnlyList<AttachmentShown>)m.Select(r => r.Shown).ToList());
    }
}
