using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Infrastructure;

public enum Limit
{
    Registration,
    SignIn,
    Post,
    NewRoom,
    NewAgent,
    NewInviteLink,
    Search,
    Reaction,
    Upload,
    Summary,
    PasswordReset,
}

/// <summary>
/// How often one person (or, signed out, one client address) may do what costs the site or others:
/// fixed windows, counted on this node. Handlers ask before acting, so a refusal re-renders the
/// form with what was typed and a 429, instead of a bare error page that loses the input.
/// Settings under <c>Limits:</c>; the defaults leave people room and floods none.
/// </summary>
public sealed class RequestLimits
{
    private readonly Dictionary<Limit, PartitionedRateLimiter<string>> limiters;

    public RequestLimits(IOptions<LimitOptions> options)
    {
        var settings = options.Value;
        static PartitionedRateLimiter<string> PerWindow(int permits, TimeSpan window) =>
            PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));

        limiters = new()
        {
            [Limit.Registration] = PerWindow(settings.RegistrationsPerHour, TimeSpan.FromHours(1)),
            [Limit.SignIn] = PerWindow(settings.SignInsPerMinute, TimeSpan.FromMinutes(1)),
            [Limit.Post] = PerWindow(settings.PostsPerMinute, TimeSpan.FromMinutes(1)),
            [Limit.NewRoom] = PerWindow(settings.RoomsPerHour, TimeSpan.FromHours(1)),
            [Limit.NewAgent] = PerWindow(settings.AgentsPerHour, TimeSpan.FromHours(1)),
            [Limit.NewInviteLink] = PerWindow(settings.InviteLinksPerHour, TimeSpan.FromHours(1)),
            [Limit.Search] = PerWindow(settings.SearchesPerMinute, TimeSpan.FromMinutes(1)),
            [Limit.Reaction] = PerWindow(settings.ReactionsPerMinute, TimeSpan.FromMinutes(1)),
            [Limit.Upload] = PerWindow(settings.UploadsPerMinute, TimeSpan.FromMinutes(1)),
            [Limit.Summary] = PerWindow(settings.SummariesPerMinute, TimeSpan.FromMinutes(1)),
            [Limit.PasswordReset] = PerWindow(settings.PasswordResetsPerHour, TimeSpan.FromHours(1)),
        };
    }

    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitOptions>().Bind(builder.Configuration.GetSection("Limits"))
            .Validate(o => new[] { o.RegistrationsPerHour, o.SignInsPerMinute, o.PostsPerMinute, o.RoomsPerHour, o.AgentsPerHour, o.InviteLinksPerHour, o.SearchesPerMinute, o.ReactionsPerMinute, o.UploadsPerMinute, o.SummariesPerMinute, o.PasswordResetsPerHour }.All(n => n >= 1),
                "Every Limits: setting is at least 1")
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestLimits>();
    }

    /// <summary>Counts one more for <paramref name="who"/>; false when that goes past the limit.</summary>
    public bool Allow(Limit limit, string who)
    {
        using var lease = limiters[limit].AttemptAcquire(who);
        return lease.IsAcquired;
    }

    /// <summary>The signed-out partition: the client's address (behind a known proxy, the forwarded one).</summary>
    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public const string TryLater = "That's a lot in a short time. Wait a little, then try again.";
}

/// <summary>The <c>Limits</c> settings: how many of each, per person (or client address) and window.</summary>
public sealed class LimitOptions
{
    public int RegistrationsPerHour { get; set; } = 10;
    public int SignInsPerMinute { get; set; } = 20;
    public int PostsPerMinute { get; set; } = 120;
    public int RoomsPerHour { get; set; } = 30;
    public int AgentsPerHour { get; set; } = 30;
    public int InviteLinksPerHour { get; set; } = 60;
    public int SearchesPerMinute { get; set; } = 60;
    public int ReactionsPerMinute { get; set; } = 60;
    public int UploadsPerMinute { get; set; } = 30;

    /// <summary>"Summarize unread" per person and minute (each costs a model call).</summary>
    public int SummariesPerMinute { get; set; } = 6;

    /// <summary>"Forgot your password?" requests per client address and hour.</summary>
    public int PasswordResetsPerHour { get; set; } = 10;
}
