using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Agents;

public class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<Agent> Agents { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync()
    {
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier);
        Agents = await db.Agents.Where(a => a.CreatedById == me && a.DeletedAt == null).OrderBy(a => a.Name).AsNoTracking().ToListAsync();
    }
}
