using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary>Opening rooms and changing their name, description or visibility; open room pages see a change at once.</summary>
public sealed class RoomChanges(AppDbContext db, FragmentRenderer renderer, IRoomBroadcaster broadcaster, SystemLines lines)
{
    public async Task<Room> Open(NewRoomInput input, string userId)
    {
        var room = Room.Open(input.Name.Trim(), input.Description?.Trim() ?? "", input.Visibility, userId);
        db.Rooms.Add(room);
        await db.SaveChangesAsync();
        await broadcaster.PersonRoomsChanged(userId, joinedOrLeft: true);
        return room;
    }

    /// <summary>A new name or description is said in the room too, as a quiet line naming who changed it.</summary>
    public async Task Update(Room room, NewRoomInput input, string userId)
    {
        var (name, description) = (input.Name.Trim(), input.Description?.Trim() ?? "");
        var (renamed, described) = (name != room.Name, description != room.Description);
        (room.Name, room.Description, room.Visibility) = (name, description, input.Visibility);
        await db.SaveChangesAsync();
        await broadcaster.Publish(room.Id, await renderer.RenderUtf8(RoomHeaderView.Replacing(room)));
        await broadcaster.RoomChanged(room.Id);
        await lines.Changed(room.Id, userId, renamed, described);
    }

    /// <summary>Archived (read-only, out of the navigation) or back in use: every member's rooms list follows at once.</summary>
    public async Task Archive(int roomId, bool archived)
    {
        await db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.ArchivedAt, archived ? DateTime.UtcNow : null));
        foreach (var member in await db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).ToListAsync())
            await broadcaster.PersonRoomsChanged(member, joinedOrLeft: true);
    }
}

/// <summary>A direct conversation renamed by who is in it: its open pages get the new header.</summary>
public sealed class RoomHeaderPush(AppDbContext db, FragmentRenderer renderer, IRoomBroadcaster broadcaster) : AgentRooms.Web.Pages.Direct.IRoomRenamed
{
    public async Task Renamed(int roomId)
    {
        if (await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roomId) is { } room)
            await broadcaster.Publish(roomId, await renderer.RenderUtf8(RoomHeaderView.Replacing(room)));
    }
}
