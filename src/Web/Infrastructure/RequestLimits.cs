using System.Threading.RateLimiting;

namespace AgentRooms.Web.Infrastructure;

public enum Limit
{
    Registration,
    SignIn,
    Post,
    NewRoom,
    NewAgent,
    NewInviteLink,
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

    public RequestLimits(IConfiguration config)
    {
        PartitionedRateLimiter<string> PerWindow(string setting, int permits, TimeSpan window)
        {
            var limit = config.GetValue($"Limits:{setting}", permits);
            return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));
        }

        limiters = new()
        {
            [Limit.Registration] = PerWindow("RegistrationsPerHour", 10, TimeSpan.FromHours(1)),
            [Limit.SignIn] = PerWindow("SignInsPerMinute", 20, TimeSpan.FromMinutes(1)),
            [Limit.Post] = PerWindow("PostsPerMinute", 120, TimeSpan.FromMinutes(1)),
            [Limit.NewRoom] = PerWindow("RoomsPerHour", 30, TimeSpan.FromHours(1)),
            [Limit.NewAgent] = PerWindow("AgentsPerHour", 30, TimeSpan.FromHours(1)),
            [Limit.NewInviteLink] = PerWindow("InviteLinksPerHour", 60, TimeSpan.FromHours(1)),
        };
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
