namespace AgentRooms.Web.Pages.Rooms;

public static class RoomSetup
{
    public static void AddRooms(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoomChanges>();
        builder.Services.AddScoped<AgentRooms.Web.Pages.Direct.IRoomRenamed, RoomHeaderPush>();
        builder.Services.AddScoped<RoomsNavigation>();
    }
}
