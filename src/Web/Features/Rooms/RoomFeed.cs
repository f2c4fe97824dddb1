using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Features.Rooms;

/// <summary>Tells open room pages that the room itself changed (its name, description or visibility).</summary>
public sealed class RoomFeed(FragmentRenderer renderer, IRoomBroadcaster broadcaster)
{
    public async Task Changed(Room room) =>
        await broadcaster.Publish(room.Id, await renderer.RenderUtf8<RoomHeaderView>(
            new Dictionary<string, object?> { ["Room"] = room, ["Oob"] = "true" }));
}

public static class RoomSetup
{
    public static void AddRooms(this WebApplicationBuilder builder) => builder.Services.AddScoped<RoomFeed>();
}
