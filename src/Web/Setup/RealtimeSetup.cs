using AgentRooms.Web.Messages;
using AgentRooms.Web.Realtime;
using AgentRooms.Web.Rooms;
using StackExchange.Redis;

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
        services.AddSingleton<InProcessBroadcaster>();
        if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            // Several nodes: this node's sockets as on one node, and the same events relayed through Redis pub/sub.
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false; // start and serve while Redis is away; reconnect by itself
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            services.AddSingleton<RedisBroadcaster>();
            services.AddSingleton<IRoomBroadcaster>(sp => sp.GetRequiredService<RedisBroadcaster>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisBroadcaster>());
        }
        else
        {
            services.AddSingleton<IRoomBroadcaster>(sp => sp.GetRequiredService<InProcessBroadcaster>());
        }
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
