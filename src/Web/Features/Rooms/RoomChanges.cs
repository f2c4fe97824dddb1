using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Features.Rooms;

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

public static class RoomSetup
{
    public static void AddRooms(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoomChanges>();
        builder.Services.AddScoped<RoomsNavigation>();
    }
}
