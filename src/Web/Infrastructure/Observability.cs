using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// Metrics over OpenTelemetry (the app's own, <see cref="AppMetrics"/>, with ASP.NET Core's, the HTTP
/// client's and the runtime's) for Prometheus at <c>/metrics</c>, which answers only the addresses in
/// <c>Metrics:AllowedAddresses</c> (loopback by default; everyone else gets a 404). Logs are JSON lines
/// when <c>Logging:Json</c> is true. <c>/readyz</c> (with <c>/healthz</c>, WebSetup) says whether the
/// node can serve: its database answers, and Redis when it has one.
/// </summary>
public static class Observability
{
    public static void AddObservability(this WebApplicationBuilder builder)
    {
        if (builder.Read<LogFormatOptions>("Logging").Json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole();
        }
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection("Metrics"))
            .Validate(o => Addresses.Parse(o.AllowedAddresses) is not null, "Metrics:AllowedAddresses is a comma-separated list of IP addresses")
            .ValidateOnStart();
        builder.Services.AddSingleton<AppMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(AppMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
    }

    public static void MapObservability(this WebApplication app)
    {
        var allowed = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Allowed;
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/metrics"), branch => branch.Use((context, next) =>
        {
            var from = context.Connection.RemoteIpAddress;
            if (from is null || !allowed.Contains(from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        }));
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        if (app.Services.GetService<IConnectionMultiplexer>() is { } redis)
            app.Services.GetRequiredService<AppMetrics>().Gauge("agentrooms.redis.connected", "{connection}", "Whether this node's Redis connection is up (1) or not (0)",
                () => redis.IsConnected ? 1 : 0);
    }
}
