using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>A file waiting in someone's composer (uploaded, not yet sent).</summary>
public sealed record PendingFile(Guid Key, string FileName, long Size);

/// <summary>The files of messages: given to a message as it is saved, and removed with it.</summary>
public sealed class MessageFiles(AppDbContext db, IFileStore store, IOptions<AttachmentOptions> options)
{
    public int MaxPerMessage => options.Value.MaxPerMessage;

    public long MaxFileBytes => options.Value.MaxBytes;

    /// <summary>
    /// Gives the sender's pending uploads in this room to the message just saved, inside its transaction:
    /// all of them, or false (one is gone, sent already, or not theirs), and the caller rolls back.
    /// </summary>
    public async Task<bool> Claim(long messageId, int roomId, string userId, IReadOnlyCollection<Guid> keys, CancellationToken cancel) =>
        await db.Attachments.Where(a => keys.Contains(a.Key) && a.RoomId == roomId && a.UploaderId == userId && a.MessageId == null)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.MessageId, messageId), cancel) == keys.Count;

    /// <summary>Removes the rows of a message's files (in the caller's transaction); <see cref="Forget"/> their bytes once it commits.</summary>
    public async Task<List<Guid>> Remove(long messageId, CancellationToken cancel)
    {
        var keys = await db.Attachments.Where(a => a.MessageId == messageId).Select(a => a.Key).ToListAsync(cancel);
        if (keys.Count > 0)
            await db.Attachments.Where(a => a.MessageId == messageId).ExecuteDeleteAsync(cancel);
        return keys;
    }

    /// <summary>Deletes stored bytes whose rows are gone.</summary>
    public void Forget(IEnumerable<Guid> keys)
    {
        foreach (var key in keys)
        {
            store.Delete(Names.Original(key));
            store.Delete(Names.Thumbnail(key));
        }
    }

    /// <summary>Which of <paramref name="keys"/> still wait in this person's composer for this room (a refused send shows them again).</summary>
    public async Task<List<PendingFile>> Pending(int roomId, string userId, IReadOnlyCollection<Guid> keys, CancellationToken cancel = default) =>
        keys.Count == 0 ? [] : await db.Attachments
            .Where(a => keys.Contains(a.Key) && a.RoomId == roomId && a.UploaderId == userId && a.MessageId == null)
            .OrderBy(a => a.Id).Select(a => new PendingFile(a.Key, a.FileName, a.Size)).ToListAsync(cancel);
}
