using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Members;

/// <summary>A room as the signed-in person may see it: their membership is read on every request, never cached.</summary>
public sealed record RoomAccess(Room Room, RoomMember? Member)
{
    public bool IsMember => Member is not null;

    /// <summary>Null when the room does not exist or is private and not theirs: both answer 404 alike.</summary>
    public static async Task<RoomAccess?> Find(AppDbContext db, int roomId, string userId, CancellationToken cancel = default)
    {
        // One round trip: the room and, if any, the person's membership of it.
        var found = await db.Rooms.Where(r => r.Id == roomId)
            .Select(r => new { Room = r, Member = r.Members.FirstOrDefault(m => m.UserId == userId) })
            .FirstOrDefaultAsync(cancel);
        return found is not null && found.Room.IsVisibleTo(found.Member) ? new RoomAccess(found.Room, found.Member) : null;
    }
}
