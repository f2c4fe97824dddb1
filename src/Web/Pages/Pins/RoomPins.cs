using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Pins;

/// <summary>One pinned message as the room's details list it: where it opens, who wrote it, its start, who pinned it and when.</summary>
public sealed record PinShown(long MessageId, int RoomId, string AuthorName, string Excerpt, string? PinnedBy, DateTime PinnedAt);

public enum PinResult
{
    Done,
    NotFound,
    Forbidden,
}

/// <summary>
/// A room's pinned messages: its owners and admins pin and unpin them; every open page of the room gets the
/// message (its "Pinned" mark and button) and the list again at once, on every node.
/// </summary>
public sealed class RoomPins(AppDbContext db, MessageFeed messages, FragmentRenderer renderer, IRoomBroadcaster broadcaster)
{
    /// <summary>The most a room keeps pinned: the oldest pin goes when another is added.</summary>
    public const int MaxPinned = 20;

    public async Task<IReadOnlyList<PinShown>> Of(int roomId, CancellationToken cancel = default) =>
        (await db.Messages.Where(m => m.RoomId == roomId && m.PinnedAt != null && m.DeletedAt == null).OrderBy(m => m.PinnedAt)
            .Select(m => new
            {
                m.Id, m.PinnedAt,
                Author = m.SenderUser != null ? m.SenderUser.DisplayName : m.SenderAgent != null ? m.SenderAgent.Name : "AgentRooms",
                Start = m.Content.Substring(0, 300),
                PinnedBy = db.Users.Where(u => u.Id == m.PinnedById).Select(u => u.DisplayName).FirstOrDefault(),
            }).AsNoTracking().ToListAsync(cancel))
        .Select(p => new PinShown(p.Id, roomId, p.Author, QuoteShown.ExcerptOf(p.Start), p.PinnedBy, p.PinnedAt!.Value)).ToList();

    public async Task<PinResult> Set(int roomId, string userId, long messageId, bool pinned)
    {
        if (await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId).Select(m => (Data.Rooms.RoomRole?)m.Role).FirstOrDefaultAsync() is not { } role)
            return PinResult.NotFound;
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.RoomId == roomId && m.DeletedAt == null && m.Kind != MessageKind.System);
        if (message is null)
            return PinResult.NotFound;
        if (role < Data.Rooms.RoomRole.Admin)
            return PinResult.Forbidden;
        if ((message.PinnedAt is not null) == pinned)
            return PinResult.Done;
        var changed = new List<Message> { message };
        if (pinned && await db.Messages.CountAsync(m => m.RoomId == roomId && m.PinnedAt != null && m.DeletedAt == null) >= MaxPinned)
        {
            var oldest = await db.Messages.Where(m => m.RoomId == roomId && m.PinnedAt != null && m.DeletedAt == null).OrderBy(m => m.PinnedAt).FirstAsync();
            (oldest.PinnedAt, oldest.PinnedById) = (null, null);
            changed.Add(oldest);
        }
        (message.PinnedAt, message.PinnedById) = pinned ? (DateTime.UtcNow, userId) : ((DateTime?)null, (string?)null);
        await db.SaveChangesAsync();
        foreach (var one in changed)
            await messages.Changed(one);
        await broadcaster.Publish(roomId, await renderer.RenderUtf8(PinnedView.Replacing(await Of(roomId))));
        return PinResult.Done;
    }
}
