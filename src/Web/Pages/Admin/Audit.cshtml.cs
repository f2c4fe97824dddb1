using AgentRooms.Data;
using AgentRooms.Data.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Admin;

/// <summary><c>/admin/audit</c>: every administrative action, newest first.</summary>
public class AuditModel(AppDbContext db, Administration administration) : PageModel
{
    public const int PageSize = 100;

    [FromQuery] public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await administration.Admin(User) is null)
            return NotFound();
        var entries = db.AuditEntries.AsNoTracking();
        if (Before is { } before)
            entries = entries.Where(e => e.Id < before);
        Entries = await entries.OrderByDescending(e => e.Id).Take(PageSize).ToListAsync();
        return Page();
    }
}
