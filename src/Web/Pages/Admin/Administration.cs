using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Data.Admin;
using AgentRooms.Web.Pages.Accounts;
using AgentRooms.Web.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRooms.Web.Pages.Admin;

public enum AdminResult
{
    Done,
    NotFound,

    /// <summary>It would leave the site without an active administrator, or an administrator without themselves.</summary>
    Refused,
}

/// <summary>
/// What the site's administrators do to people and settings, each recorded in the audit log in the same
/// save. Who is an administrator is read from the database on every request (<see cref="Admin"/>), not
/// from the cookie, which learns of a change within a minute.
/// </summary>
public sealed class Administration(
    AppDbContext db, AccountSessions sessions, IMemoryCache cache, Site site, PasswordResets resets, IBackgroundJobClient jobs)
{
    /// <summary>The acting person, when they are an active site administrator now.</summary>
    public async Task<User?> Admin(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.IsSiteAdmin && u.DeactivatedAt == null)
            : null;

    /// <summary>
    /// Deactivated, a person cannot sign in and every session of theirs ends (on this node at once, on
    /// others within seconds); their open pages' sockets close. Nothing they wrote is hidden.
    /// </summary>
    public async Task<AdminResult> SetActive(User admin, string userId, bool active)
    {
        await using var oneAtATime = await NamedLock.Take(db, AdminsLock);
        if (await db.Users.FirstOrDefaultAsync(u => u.Id == userId) is not { } person)
            return AdminResult.NotFound;
        if (!active && (person.Id == admin.Id || person.IsSiteAdmin && await ActiveAdmins() <= 1))
            return AdminResult.Refused;
        if (person.IsActive == active)
            return AdminResult.Done;
        if (active && person.BannedAt is not null)
            return AdminResult.Refused; // a ban is for good
        person.DeactivatedAt = active ? null : DateTime.UtcNow;
        Record(admin, active ? "reactivated" : "deactivated", Describe(person));
        await db.SaveChangesAsync();
        Sessions.Forget(cache, person.Id);
        if (!active)
            await sessions.EndAll(person);
        return AdminResult.Done;
    }

    /// <summary>
    /// Bans a person: deactivated for good (as <see cref="SetActive"/>, without a way back here), and a
    /// background job deletes what they wrote and the agents they made, live in open rooms (<see cref="BanCleanup"/>).
    /// </summary>
    public async Task<AdminResult> Ban(User admin, string userId)
    {
        if (await db.Users.FirstOrDefaultAsync(u => u.Id == userId) is not { } person)
            return AdminResult.NotFound;
        if (person.Id == admin.Id || person.IsSiteAdmin)
            return AdminResult.Refused; // an administrator is unmade first
        if (person.BannedAt is not null)
            return AdminResult.Done;
        person.BannedAt = DateTime.UtcNow;
        person.DeactivatedAt ??= person.BannedAt;
        Record(admin, "banned", Describe(person), "their messages and agents are being deleted");
        await db.SaveChangesAsync();
        await sessions.EndAll(person);
        jobs.Enqueue<BanCleanupJob>(job => job.Run(person.Id, CancellationToken.None));
        return AdminResult.Done;
    }

    /// <summary>Makes or unmakes a site administrator; the last active one stays.</summary>
    public async Task<AdminResult> SetAdmin(User admin, string userId, bool isAdmin)
    {
        await using var oneAtATime = await NamedLock.Take(db, AdminsLock);
        if (await db.Users.FirstOrDefaultAsync(u => u.Id == userId) is not { } person)
            return AdminResult.NotFound;
        if (person.IsSiteAdmin == isAdmin)
            return AdminResult.Done;
        if (!isAdmin && person.IsActive && await ActiveAdmins() <= 1)
            return AdminResult.Refused;
        if (isAdmin && !person.IsActive)
            return AdminResult.Refused;
        person.IsSiteAdmin = isAdmin;
        Record(admin, isAdmin ? "made administrator" : "removed as administrator", Describe(person));
        await db.SaveChangesAsync();
        // Their cookie learns it at its next check (within a minute); they stay signed in.
        return AdminResult.Done;
    }

    /// <summary>A one-time link for a person to choose a new password, for the administrator to hand over (when the site sends no email, the only way back in).</summary>
    public async Task<string?> ResetLink(User admin, string userId, HttpRequest request)
    {
        if (await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.DeactivatedAt == null) is not { } person)
            return null;
        Record(admin, "made a password reset link", Describe(person));
        await db.SaveChangesAsync();
        return await resets.Link(person, request);
    }

    public async Task SaveSettings(User admin, SiteSettings changed)
    {
        var settings = await db.SiteSettings.FirstOrDefaultAsync(s => s.Id == SiteSettings.TheId);
        if (settings is null)
            db.SiteSettings.Add(settings = new SiteSettings());
        var what = new List<string>();
        if (settings.Name != changed.Name)
            what.Add($"name \u201c{settings.Name}\u201d \u2192 \u201c{changed.Name}\u201d");
        if (settings.Registration != changed.Registration)
            what.Add($"registration {settings.Registration} \u2192 {changed.Registration}");
        if (settings.RoomCreation != changed.RoomCreation)
            what.Add($"room creation {settings.RoomCreation} \u2192 {changed.RoomCreation}");
        if (what.Count == 0)
            return;
        (settings.Name, settings.Registration, settings.RoomCreation) = (changed.Name, changed.Registration, changed.RoomCreation);
        Record(admin, "changed site settings", "the site", string.Join("; ", what));
        await db.SaveChangesAsync();
        site.Changed();
    }

    /// <summary>
    /// Changes that could take away an active administrator run one at a time (on every node), so two
    /// administrators unmaking each other at once cannot both pass the "another one remains" check.
    /// </summary>
    private const string AdminsLock = "agentrooms-site-admins";

    private Task<int> ActiveAdmins() => db.Users.CountAsync(u => u.IsSiteAdmin && u.DeactivatedAt == null);

    private static string Describe(User person) => $"{person.DisplayName} <{person.Email}>";

    private void Record(User admin, string action, string target, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            ActorId = admin.Id, ActorName = admin.DisplayName, Action = action,
            Target = target.Length > AuditEntry.TargetMaxLength ? target[..AuditEntry.TargetMaxLength] : target,
            Detail = detail is { Length: > AuditEntry.DetailMaxLength } ? detail[..AuditEntry.DetailMaxLength] : detail,
        });
}
