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
        services.AddHostedService<StoredHtmlBackfill>();
        services.AddScoped<MessagePosting>();
        services.AddScoped<RoomFeed>();
        services.AddScoped<Membership>();

        services.AddSingleton<FragmentRenderer>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<InProcessBroadcaster>();
        services.AddSingleton<PresenceUpdates>();
        if (builder.Configuration.IsMultiNode())
        {
            // Several nodes: this node's sockets as on one node, and the same events relayed through
            // Redis pub/sub; who is here and who is typing kept in Redis.
            services.AddSingleton<RedisBroadcaster>();
            services.AddSingleton<IRoomBroadcaster>(sp => sp.GetRequiredService<RedisBroadcaster>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisBroadcaster>());
            services.AddSingleton<RedisPresence>();
            services.AddSingleton<IPresence>(sp => sp.GetRequiredService<RedisPresence>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisPresence>());
            services.AddSingleton<ITypers, RedisTypers>();
        }
        else
        {
            services.AddSingleton<IRoomBroadcaster>(sp => sp.GetRequiredService<InProcessBroadcaster>());
            services.AddSingleton<IPresence, LocalPresence>();
            services.AddSingleton<ITypers, LocalTypers>();
        }
        services.AddSingleton<RoomCatchUp>();
        services.AddSingleton<Typing>();
    }

    public static void UseRoomSockets(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        // Pages reconnect after 1012 and catch up through resume.
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(() => registry.CloseAll(RoomSocketClose.ServiceRestart, "restarting"));
    }
}
