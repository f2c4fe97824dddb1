using System.Security.Claims;
using System.Security.Cryptography;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Setup;

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

    /// <summary>Before Identity's own checks: a revoked session is signed out at once.</summary>
    public static async Task Validate(CookieValidatePrincipalContext context, Func<CookieValidatePrincipalContext, Task> next)
    {
        if (context.Principal is { } principal && Of(principal) is { } id)
        {
            var db = context.HttpContext.RequestServices.GetRequiredService<AppDbContext>();
            if (await db.RevokedSessions.AnyAsync(s => s.Id == id))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
        }
        await next(context);
    }

    public static async Task Revoke(AppDbContext db, ClaimsPrincipal user, TimeSpan cookieLifetime)
    {
        if (Of(user) is not { } id)
            return;
        var now = DateTime.UtcNow;
        await db.RevokedSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
        if (!await db.RevokedSessions.AnyAsync(s => s.Id == id))
        {
            db.RevokedSessions.Add(new RevokedSession { Id = id, ExpiresAt = now + cookieLifetime });
            await db.SaveChangesAsync();
        }
    }

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(RevokedSession.IdLength / 2));
}
