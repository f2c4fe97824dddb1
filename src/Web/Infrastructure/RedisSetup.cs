using StackExchange.Redis;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// <c>Redis:Configuration</c> set means several nodes: one connection per node, shared by the
/// broadcaster, presence, typing, reply leases and the job queue, all under <c>Redis:Prefix</c>.
/// </summary>
public static class RedisSetup
{
    public static bool IsMultiNode(this IConfiguration config) => config["Redis:Configuration"] is { Length: > 0 };

    /// <summary>Starts every key and channel of this installation, so several can share one Redis.</summary>
    public static string RedisPrefix(this IConfiguration config) => config["Redis:Prefix"] is { Length: > 0 } prefix ? prefix : "agentrooms";

    public static void AddRedis(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.IsMultiNode())
            return;
        var options = ConfigurationOptions.Parse(builder.Configuration["Redis:Configuration"]!);
        options.AbortOnConnectFail = false; // start and serve while Redis is away; reconnect by itself
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
    }
}
