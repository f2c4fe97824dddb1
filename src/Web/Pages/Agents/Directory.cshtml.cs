using System.Security.Claims;
using AgentRooms.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Agents;

/// <summary><c>/agents/directory</c>: the agents their owners share with everyone, to chat with or add to a room.</summary>
public class DirectoryModel(AppDbContext db) : PageModel
{
    public sealed record Listed(int Id, string Name, string Emoji, string Handle, string Owner, bool Mine, string Style, string? Model);

    public IReadOnlyList<Listed> Agents { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        Agents = (await db.Agents.Where(a => a.Shared && a.DeletedAt == null).OrderBy(a => a.Name)
                .Select(a => new { a.Id, a.Name, a.Emoji, a.Handle, Owner = a.CreatedBy!.DisplayName, a.CreatedById, a.Style, a.Model })
                .AsNoTracking().ToListAsync())
            .Select(a => new Listed(a.Id, a.Name, a.Emoji, a.Handle, a.Owner, a.CreatedById == me, a.Style.ToString().ToLowerInvariant(), a.Model)).ToList();
    }
}
