using System.Security.Claims;
using System.Security.Cryptography;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// Each sign-in is a session with an id of its own in the cookie. Signing out revokes that id, so a
/// copy of the cookie taken before is refused afterwards, while the person's other devices stay
/// signed in. The id survives the cookie's renewals (profile changes, security-stamp checks).
/// </summary>
public static class Sessions
{
    public const string Claim = "session";

    public static string? Of(ClaimsPrincipal user) => user.FindFirstValue(Claim);

    /// <summary>A new sign-in gets a new id, listed among the person's sessions; a renewal of the same person's cookie keeps theirs.</summary>
    public static async Task OnSigningIn(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.FindFirst(Claim) is not null)
            return;
        var current = context.HttpContext.User;
        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (current.FindFirstValue(ClaimTypes.NameIdentifier) == userId && Of(current) is { } kept)
        {
            identity.AddClaim(new Claim(Claim, kept));
            return;
        }
        var id = NewId();
        identity.AddClaim(new Claim(Claim, id));
        if (userId is null)
            return;
        // A context of its own: the request's may hold changes of the sign-in's that are not this one's to save.
        await using var scope = context.HttpContext.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UserSessions.Add(new UserSession { Id = id, UserId = userId, Device = Devices.Describe(context.HttpContext.Request.Headers.UserAgent.ToString()) });
        await db.SaveChangesAsync();
    }

    public static Task KeepOnRefresh(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is { } current && Of(current) is { } id && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && identity.FindFirst(Claim) is null)
            identity.AddClaim(new Claim(Claim, id));
        return Task.CompletedTask;
    }

    /// <summary>
    /// How long a node trusts that a session is not revoked before asking the database again. The node
    /// that signs a session out knows at once; another node within this time.
    /// </summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Before Identity's own checks: a revoked session is signed out at once. Every request passes
    /// here, so the answer is remembered per session (a revocation until it would expire anyway).
    /// </summary>
    public static async Task Validate(CookieValidatePrincipalContext context, Func<CookieValidatePrincipalContext, Task> next)
    {
        var http = context.HttpContext;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await ValidateIn(context, next);
            return;
        }
        // A socket's request lives as long as the socket (hours): what the checks need (a database
        // context, Identity's managers) comes from a scope that ends with them, not from the request's.
        var requestServices = http.RequestServices;
        await using var checks = requestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        http.RequestServices = checks.ServiceProvider;
        try
        {
            await ValidateIn(context, next);
        }
        finally
        {
            http.RequestServices = requestServices;
        }
    }

    private static async Task ValidateIn(CookieValidatePrincipalContext context, Func<CookieValidatePrincipalContext, Task> next)
    {
        if (context.Principal is { } principal && (await IsRevoked(context.HttpContext, principal) || !await IsCurrent(context.HttpContext, principal)))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await next(context);
    }

    /// <summary>Signed out (this session alone). Asked again every <see cref="RecheckAfter"/>, which also notes that the session is in use.</summary>
    private static async Task<bool> IsRevoked(HttpContext http, ClaimsPrincipal principal)
    {
        if (Of(principal) is not { } id)
            return false;
        var cache = http.RequestServices.GetRequiredService<IMemoryCache>();
        if (cache.TryGetValue(CacheKey(id), out bool revoked))
            return revoked;
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        revoked = await db.RevokedSessions.AnyAsync(s => s.Id == id);
        cache.Set(CacheKey(id), revoked, revoked ? AccountSetup.CookieLifetime : RecheckAfter);
        if (!revoked)
        {
            var now = DateTime.UtcNow;
            var stale = now - SeenEvery;
            await db.UserSessions.Where(s => s.Id == id && s.LastSeenAt < stale).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
        }
        return revoked;
    }

    /// <summary>How precisely a session's "last seen" is kept.</summary>
    private static readonly TimeSpan SeenEvery = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The account is active and the cookie was made with its current security stamp: a new password,
    /// "Sign out everywhere", deactivation or a ban ends every cookie made before, on the node that made
    /// the change at once (<see cref="Forget"/>) and on others within <see cref="RecheckAfter"/>. A
    /// socket's upgrade always asks the database, so a page whose socket was closed by the change cannot
    /// open another on any node.
    /// </summary>
    private static async Task<bool> IsCurrent(HttpContext http, ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return true;
        var services = http.RequestServices;
        var cache = services.GetRequiredService<IMemoryCache>();
        if (http.WebSockets.IsWebSocketRequest || !cache.TryGetValue(AccountKey(userId), out AccountState? state) || state is null)
        {
            state = await services.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == userId)
                .Select(u => new AccountState(u.DeactivatedAt == null, u.SecurityStamp)).FirstOrDefaultAsync() ?? new AccountState(false, null);
            cache.Set(AccountKey(userId), state, RecheckAfter);
        }
        var stampType = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return state.Active && state.Stamp is not null && principal.FindFirstValue(stampType) == state.Stamp;
    }

    private sealed record AccountState(bool Active, string? Stamp);

    /// <summary>This session ends for good: a copy of its cookie is refused from now on.</summary>
    public static async Task Revoke(AppDbContext db, IMemoryCache cache, string id, TimeSpan cookieLifetime)
    {
        cache.Set(CacheKey(id), true, cookieLifetime);
        var now = DateTime.UtcNow;
        await db.RevokedSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
        if (!await db.RevokedSessions.AnyAsync(s => s.Id == id))
        {
            db.RevokedSessions.Add(new RevokedSession { Id = id, ExpiresAt = now + cookieLifetime });
            await db.SaveChangesAsync();
        }
    }

    private static string CacheKey(string id) => $"session-revoked|{id}";

    private static string AccountKey(string userId) => $"account|{userId}";

    /// <summary>The person's account changed (deactivated, reactivated, a new security stamp): this node reads it again at their next request.</summary>
    public static void Forget(IMemoryCache cache, string userId) => cache.Remove(AccountKey(userId));

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(RevokedSession.IdLength / 2));
}
