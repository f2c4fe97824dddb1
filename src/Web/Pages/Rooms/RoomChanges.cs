using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary>Opening rooms and changing their name, description or visibility; open room pages see a change at once.</summary>
public sealed class RoomChanges(AppDbContext db, FragmentRenderer renderer, IRoomBroadcaster broadcaster)
{
    public async Task<Room> Open(NewRoomInput input, string userId)
    {
        var room = Room.Open(input.Name.Trim(), input.Description?.Trim() ?? "", input.Visibility, userId);
        db.Rooms.Add(room);
        await db.SaveChangesAsync();
        await broadcaster.PersonRoomsChanged(userId, joinedOrLeft: true);
        return room;
    }

    public async Task Update(Room room, NewRoomInput input)
    {
        room.Name = input.Name.Trim();
        room.Description = input.Description?.Trim() ?? "";
        room.Visibility = input.Visibility;
        await db.SaveChangesAsync();
        await broadcaster.Publish(room.Id, await renderer.RenderUtf8(RoomHeaderView.Replacing(room)));
        await broadcaster.RoomChanged(room.Id);
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
