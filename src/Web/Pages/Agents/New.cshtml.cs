using System.Security.Claims;
using AgentRooms.Web.Pages.Tools;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

public class NewModel(MyAgents agents, IOptions<AgentOptions> ai, ToolServers tools, RequestLimits limits) : PageModel
{
    [BindProperty]
    public AgentInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Input.CheckModel(ai.Value, ModelState);
        await Input.CheckTools(tools, null, ModelState, HttpContext.RequestAborted);
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!limits.Allow(Limit.NewAgent, User.FindFirstValue(ClaimTypes.NameIdentifier)!))
            return this.TooMany();
        var agent = await agents.Create(User.FindFirstValue(ClaimTypes.NameIdentifier)!, Input);
        TempData["Notice"] = $"{agent.Name} is ready. Add it to a room, then mention @{agent.Handle}.";
        return Redirect(Paths.Agents);
    }
}
