using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Tools;

/// <summary><c>/admin/tools</c>: the site administrator sees each tool server (<c>AI:ToolServers</c>), whether it answers, and its tools.</summary>
public class IndexModel(ToolServers servers) : PageModel
{
    public IReadOnlyList<ServerTools> Servers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.IsSiteAdmin())
            return NotFound();
        Servers = await servers.List(HttpContext.RequestAborted);
        return Page();
    }
}
