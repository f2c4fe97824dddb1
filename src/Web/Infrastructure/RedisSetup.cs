using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentRooms.Web.Infrastructure;

/// <summary>The <c>Redis</c> settings. <see cref="Configuration"/> set means several nodes.</summary>
public sealed class RedisOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Starts every key and channel of this installation, so several can share one Redis.</summary>
    public string Prefix { get; set; } = "agentrooms";

    /// <summary>How long a node's "who is here" entries live unrenewed; renewed every third of it.</summary>
    public int PresenceSeconds { get; set; } = 30;

    public bool IsMultiNode => !string.IsNullOrWhiteSpace(Configuration);

    public static RedisOptions From(IConfiguration config) => config.GetSection("Redis").Get<RedisOptions>() ?? new();
}

/// <summary>
/// Several nodes: one connection per node, shared by the broadcaster, presence, typing, reply leases
/// and the job queue, all under <see cref="RedisOptions.Prefix"/>.
/// </summary>
public static class RedisSetup
{
    public static bool IsMultiNode(this IConfiguration config) => RedisOptions.From(config).IsMultiNode;

    public static void AddRedis(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedisOptions>().Bind(builder.Configuration.GetSection("Redis"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Prefix), "Redis:Prefix may not be empty")
            .Validate(o => o.PresenceSeconds >= 3, "Redis:PresenceSeconds is at least 3")
            .ValidateOnStart();
        var settings = RedisOptions.From(builder.Configuration);
        if (!settings.IsMultiNode)
            return;
        var options = ConfigurationOptions.Parse(settings.Configuration!);
        options.AbortOnConnectFail = false; // start and serve while Redis is away; reconnect by itself
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
    }
}
