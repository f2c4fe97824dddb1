using AgentRooms.Web.Messages;
using AgentRooms.Web.Realtime;
using AgentRooms.Web.Rooms;

namespace AgentRooms.Web.Setup;

public static class RealtimeSetup
{
    public static void AddRooms(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<MarkdownRenderer>();
        services.AddScoped<RoomHistory>();
        services.AddScoped<MessagePosting>();
        services.AddScoped<RoomFeed>();
        services.AddScoped<Membership>();

        services.AddSingleton<FragmentRenderer>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<IPresence>(sp => sp.GetRequiredService<ConnectionRegistry>());
        services.AddSingleton<IRoomBroadcaster, InProcessBroadcaster>();
        services.AddSingleton<RoomCatchUp>();
        services.AddSingleton<Typing>();
        services.AddSingleton<PresenceUpdates>();
    }

    public static void UseRoomSockets(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        // Pages reconnect after 1012 and catch up through resume.
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(() => registry.CloseAll(RoomSocketClose.ServiceRestart, "restarting"));
    }
}
