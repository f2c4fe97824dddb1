using System.Security.Claims;
using AgentRooms.Web.Pages.Tools;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Only an agent's creator edits or deletes it; anyone else gets 404, as for an agent that does not
/// exist. Open rooms with the agent see the change in their member list at once.
/// </summary>
public class EditModel(MyAgents agents, IOptions<AgentOptions> ai, ToolServers tools) : PageModel
{
    [FromRoute] public int Id { get; set; }

    [BindProperty]
    public AgentInput Input { get; set; } = new();

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await agents.Find(UserId, Id) is not { } agent)
            return NotFound();
        Input = AgentInput.From(agent);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await agents.Find(UserId, Id) is not { } agent)
            return NotFound();
        Input.CheckModel(ai.Value, ModelState);
        await Input.CheckTools(tools, agent, ModelState, HttpContext.RequestAborted);
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!await agents.Update(agent, Input))
        {
            ModelState.AddModelError("Input.Handle", $"Another agent in one of this agent's rooms is already @{Input.Handle.Trim()}.");
            return this.InvalidForm();
        }
        TempData["Notice"] = $"{agent.Name} is saved.";
        return Redirect(Paths.Agents);
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (await agents.Find(UserId, Id) is not { } agent)
            return NotFound();
        await agents.Delete(agent);
        TempData["Notice"] = $"{agent.Name} is deleted.";
        return Redirect(Paths.Agents);
    }
}
