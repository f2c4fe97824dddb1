using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Admin;

/// <summary><c>/admin</c>: the site's people, found by name or email, deactivated or reactivated, made or unmade administrators.</summary>
public class IndexModel(AppDbContext db, Administration administration) : PageModel
{
    public const int PageSize = 50;

    [FromQuery(Name = "q")] public string? Query { get; set; }

    [TempData] public string? Notice { get; set; }

    public IReadOnlyList<User> People { get; private set; } = [];

    /// <summary>A reset link just made, shown once, and whose it is.</summary>
    public (string Name, string Link)? NewResetLink { get; private set; }
    public int Total { get; private set; }
    public string MeId { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await administration.Admin(User) is not { } admin)
            return NotFound();
        MeId = admin.Id;
        var people = db.Users.AsNoTracking();
        if (Query?.Trim() is { Length: > 0 } words)
            people = people.Where(u => u.DisplayName.Contains(words) || u.Email!.Contains(words));
        Total = await people.CountAsync();
        People = await people.OrderByDescending(u => u.IsSiteAdmin).ThenBy(u => u.DisplayName).Take(PageSize).ToListAsync();
        return Page();
    }

    public Task<IActionResult> OnPostDeactivateAsync(string userId) =>
        Act(admin => administration.SetActive(admin, userId, active: false), "Deactivated: signed out everywhere, and cannot sign in.");

    public Task<IActionResult> OnPostReactivateAsync(string userId) =>
        Act(admin => administration.SetActive(admin, userId, active: true), "Reactivated: they can sign in again.");

    public Task<IActionResult> OnPostBanAsync(string userId) =>
        Act(admin => administration.Ban(admin, userId), "Banned: signed out for good; their messages and agents are being deleted.");

    public Task<IActionResult> OnPostMakeAdminAsync(string userId) =>
        Act(admin => administration.SetAdmin(admin, userId, isAdmin: true), "They are now a site administrator.");

    public Task<IActionResult> OnPostRemoveAdminAsync(string userId) =>
        Act(admin => administration.SetAdmin(admin, userId, isAdmin: false), "They are no longer a site administrator.");

    public async Task<IActionResult> OnPostResetLinkAsync(string userId)
    {
        if (await administration.Admin(User) is not { } admin)
            return NotFound();
        if (await administration.ResetLink(admin, userId, Request) is not { } link)
            return NotFound();
        await OnGetAsync();
        NewResetLink = (People.FirstOrDefault(p => p.Id == userId)?.DisplayName ?? "them", link);
        return Page();
    }

    private async Task<IActionResult> Act(Func<Data.Accounts.User, Task<AdminResult>> action, string notice)
    {
        if (await administration.Admin(User) is not { } admin)
            return NotFound();
        switch (await action(admin))
        {
            case AdminResult.NotFound:
                return NotFound();
            case AdminResult.Refused:
                Notice = "Not done: the site keeps at least one active administrator, you cannot deactivate or ban yourself, an administrator is unmade before a ban, and a ban is for good.";
                await OnGetAsync();
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                Notice = notice;
                return Redirect(Paths.Admin + (Query is { Length: > 0 } ? $"?q={Uri.EscapeDataString(Query)}" : ""));
        }
    }
}
