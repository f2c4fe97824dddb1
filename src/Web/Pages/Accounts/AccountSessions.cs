using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Realtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// Where a person is signed in, and ending it. A session that ends takes with it everything that
/// rode on it: copies of its cookie are refused, its open pages' sockets close (on every node), and the
/// push subscriptions made in it stop. Ending them all (a new password, "Sign out everywhere",
/// deactivation, a ban) changes the account's security stamp, which every cookie is checked against
/// (<see cref="Sessions"/>), and removes every push subscription of the person's.
/// </summary>
public sealed class AccountSessions(AppDbContext db, UserManager<User> users, IRoomBroadcaster broadcaster, IMemoryCache cache)
{
    /// <summary>The person's signed-in browsers, most recently seen first.</summary>
    public Task<List<UserSession>> Of(string userId) =>
        db.UserSessions.Where(s => s.UserId == userId).OrderByDescending(s => s.LastSeenAt).AsNoTracking().ToListAsync();

    /// <summary>This browser signs out: its session is revoked and forgotten, its push subscriptions go, its person's pages reconnect.</summary>
    public async Task SignedOut(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return;
        if (Sessions.Of(user) is { } id)
            await Revoke(userId, id); // the id comes from the person's own cookie
        await broadcaster.SignedOut(userId);
    }

    /// <summary>One session of the person's ends (from the list on their profile). False when it is not theirs, or gone.</summary>
    public async Task<bool> End(string userId, string sessionId)
    {
        // Only one's own: someone else's session id ends nothing.
        if (!await db.UserSessions.AnyAsync(s => s.Id == sessionId && s.UserId == userId))
            return false;
        await Revoke(userId, sessionId);
        // Sockets are the person's, not a session's: all of them close, and the pages still signed in reconnect at once.
        await broadcaster.SignedOut(userId);
        return true;
    }

    private async Task Revoke(string userId, string sessionId)
    {
        await Sessions.Revoke(db, cache, sessionId, AccountSetup.CookieLifetime);
        await db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync();
        await db.PushSubscriptions.Where(s => s.SessionId == sessionId && s.UserId == userId).ExecuteDeleteAsync();
    }

    /// <summary>
    /// Every session of the person's ends but <paramref name="keep"/> (the browser that changed its own
    /// password stays signed in; pass null to end them all). The security stamp changes first, unless
    /// the caller's change (a password reset) already did.
    /// </summary>
    public async Task EndAll(User user, string? keep = null, bool stampChanged = false)
    {
        if (!stampChanged)
            await users.UpdateSecurityStampAsync(user);
        Sessions.Forget(cache, user.Id);
        await db.UserSessions.Where(s => s.UserId == user.Id && s.Id != keep).ExecuteDeleteAsync();
        await db.PushSubscriptions.Where(s => s.UserId == user.Id && (keep == null || s.SessionId == null || s.SessionId != keep)).ExecuteDeleteAsync();
        await broadcaster.SignedOut(user.Id);
    }
}
