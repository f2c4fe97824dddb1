using System.Threading.RateLimiting;

namespace AgentRooms.Web.Pages.Invitations;

public static class InvitationSetup
{
    public const string GuessPolicy = "invitation-guesses";

    /// <summary>Invitation pages per client and minute (<c>Invitations:RequestsPerMinute</c>, default 30): plenty for people, too few to guess tokens.</summary>
    public static void AddInvitations(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<InviteLinks>();
        builder.Services.AddScoped<AgentRooms.Web.Pages.Accounts.IArrival, InvitationArrival>();
        var perMinute = builder.Configuration.GetValue("Invitations:RequestsPerMinute", 30);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(GuessPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
    }
}
