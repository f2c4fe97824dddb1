using AgentRooms.Data.Agents;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Tools;

/// <summary>
/// <c>/admin/tools</c>: the site administrator sees each tool server (<c>AI:ToolServers</c>), whether it
/// answers, and its tools, and chooses which tools a reply must ask before calling (<see cref="ToolRules"/>).
/// </summary>
public class IndexModel(ToolServers servers, ToolRules rules, IOptions<ToolOptions> options) : PageModel
{
    private const int MostTools = 1000;

    public IReadOnlyList<ServerTools> Servers { get; private set; } = [];
    public IReadOnlySet<string> Asking { get; private set; } = new HashSet<string>();

    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.IsSiteAdmin())
            return NotFound();
        Servers = await servers.List(HttpContext.RequestAborted);
        Asking = await rules.NeedingApproval(Servers.SelectMany(s => s.Tools).ToList(), HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>"Save approvals": every tool the form listed asks before use when ticked, and runs freely when not.</summary>
    public async Task<IActionResult> OnPostAsync(List<string> listed, List<string> ask)
    {
        if (!User.IsSiteAdmin())
            return NotFound();
        var named = options.Value.Servers.Select(s => s.Name + "/").ToList();
        if (listed.Count > MostTools || listed.Concat(ask).Any(id => id.Length > ToolRule.ToolMaxLength || !named.Any(id.StartsWith)))
            return BadRequest("The list names a tool no configured server has.");
        foreach (var tool in listed.Distinct())
            await rules.Set(tool, ask.Contains(tool));
        Notice = "Saved. Replies ask before the ticked tools from now on.";
        return RedirectToPage();
    }
}
