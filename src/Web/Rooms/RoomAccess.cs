using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Rooms;

/// <summary>A room as the signed-in person may see it: their membership is read on every request, never cached.</summary>
public sealed record RoomAccess(Room Room, RoomMember? Member)
{
    public bool IsMember => Member is not null;

    /// <summary>Null when the room does not exist or is private and not theirs: both answer 404 alike.</summary>
    public static async Task<RoomAccess?> Find(AppDbContext db, int roomId, string userId, CancellationToken cancel = default)
    {
        var room = await db.Rooms.FirstOrDefaultAsync(r => r.Id == roomId, cancel);
        if (room is null)
            return null;
        var member = await db.RoomMembers.FirstOrDefaultAsync(m => m.RoomId == roomId && m.UserId == userId, cancel);
        return room.IsVisibleTo(member) ? new RoomAccess(room, member) : null;
    }
}
