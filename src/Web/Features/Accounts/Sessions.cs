using System.Security.Claims;
using System.Security.Cryptography;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRooms.Web.Features.Accounts;

/// <summary>
/// Each sign-in is a session with an id of its own in the cookie. Signing out revokes that id, so a
/// copy of the cookie taken before is refused afterwards, while the person's other devices stay
/// signed in. The id survives the cookie's renewals (profile changes, security-stamp checks).
/// </summary>
public static class Sessions
{
    public const string Claim = "session";

    public static string? Of(ClaimsPrincipal user) => user.FindFirstValue(Claim);

    /// <summary>A new sign-in gets a new id; a renewal of the same person's cookie keeps theirs.</summary>
    public static Task OnSigningIn(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(Claim) is null)
        {
            var current = context.HttpContext.User;
            var same = current.FindFirstValue(ClaimTypes.NameIdentifier) == identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
            identity.AddClaim(new Claim(Claim, same && Of(current) is { } id ? id : NewId()));
        }
        return Task.CompletedTask;
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
        if (context.Principal is { } principal && Of(principal) is { } id)
        {
            var services = context.HttpContext.RequestServices;
            var cache = services.GetRequiredService<IMemoryCache>();
            if (!cache.TryGetValue(CacheKey(id), out bool revoked))
            {
                revoked = await services.GetRequiredService<AppDbContext>().RevokedSessions.AnyAsync(s => s.Id == id);
                cache.Set(CacheKey(id), revoked, revoked ? AccountSetup.CookieLifetime : RecheckAfter);
            }
            if (revoked)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
        }
        if (context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && await IsDeactivated(context.HttpContext.RequestServices, userId))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await next(context);
    }

    public static async Task Revoke(AppDbContext db, IMemoryCache cache, ClaimsPrincipal user, TimeSpan cookieLifetime)
    {
        if (Of(user) is not { } id)
            return;
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

    private static string DeactivatedKey(string userId) => $"user-deactivated|{userId}";

    /// <summary>A deactivated person's every session ends: on this node at once (<see cref="Deactivated"/>), on others within <see cref="RecheckAfter"/>.</summary>
    private static async Task<bool> IsDeactivated(IServiceProvider services, string userId)
    {
        var cache = services.GetRequiredService<IMemoryCache>();
        if (!cache.TryGetValue(DeactivatedKey(userId), out bool deactivated))
        {
            deactivated = await services.GetRequiredService<AppDbContext>().Users.AnyAsync(u => u.Id == userId && u.DeactivatedAt != null);
            cache.Set(DeactivatedKey(userId), deactivated, RecheckAfter);
        }
        return deactivated;
    }

    /// <summary>Tells this node at once that a person was deactivated or reactivated.</summary>
    public static void Deactivated(IMemoryCache cache, string userId, bool deactivated) =>
        cache.Set(DeactivatedKey(userId), deactivated, RecheckAfter);

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(RevokedSession.IdLength / 2));
}
