using System.Security.Claims;
using AgentRooms.Data.Agents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Agents;

public class IndexModel(MyAgents agents) : PageModel
{
    public IReadOnlyList<Agent> Agents { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync() => Agents = await agents.All(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
}
