using AgentRooms.Web.Infrastructure;

namespace AgentRooms.Web.Realtime;

public static class RealtimeSetup
{
    /// <summary>The sockets of open room pages and what carries fragments to them; the features register the seams (<see cref="IRoomCatchUp"/> and the like).</summary>
    public static void AddRealtime(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RealtimeOptions>().Bind(builder.Configuration.GetSection("Realtime"))
            .Validate(o => o.SocketsPerPerson >= 1 && o.FramesPerSecond >= 1, "Realtime:SocketsPerPerson and Realtime:FramesPerSecond are at least 1")
            .ValidateOnStart();
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
        services.AddSingleton<Typing>();
    }

    public static void UseRoomSockets(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        // Pages reconnect after 1012 and catch up through resume.
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(() => registry.CloseAll(RoomSocketClose.ServiceRestart, "restarting"));
        app.Services.GetRequiredService<AppMetrics>().Gauge("agentrooms.sockets.open", "{socket}", "Room and list sockets open on this node", () => registry.Open);
    }
}

/// <summary>The <c>Realtime</c> settings.</summary>
public sealed class RealtimeOptions
{
    /// <summary>Sockets one person may hold open on a node (pages, tabs, devices); one more closes their oldest.</summary>
    public int SocketsPerPerson { get; set; } = 20;

    /// <summary>Frames one page may send per second (typing, sends, read marks); one more closes its socket (1008).</summary>
    public int FramesPerSecond { get; set; } = 20;
}
