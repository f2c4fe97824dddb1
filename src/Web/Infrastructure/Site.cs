using AgentRooms.Data;
using AgentRooms.Data.Admin;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// The site's settings as its administrators last saved them (<see cref="SiteSettings"/>), read at most
/// every <see cref="RecheckAfter"/> per node: the node that saves a change uses it at once, the others
/// within that time.
/// </summary>
public sealed class Site(IServiceScopeFactory scopes, IMemoryCache cache)
{
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);
    private const string Key = "site-settings";

    public async Task<SiteSettings> Settings(CancellationToken cancel = default) =>
        (await cache.GetOrCreateAsync(Key, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = RecheckAfter;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            return await db.SiteSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == SiteSettings.TheId, cancel) ?? new SiteSettings();
        }))!;

    /// <summary>Whether a person may create rooms under the current settings (who is an administrator is read from the database).</summary>
    public async Task<bool> MayCreateRooms(ClaimsPrincipal user)
    {
        if ((await Settings()).RoomCreation == RoomCreation.Everyone)
            return true;
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id)
            return false;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.AnyAsync(u => u.Id == id && u.IsSiteAdmin && u.DeactivatedAt == null);
    }

    public void Changed() => cache.Remove(Key);
}
