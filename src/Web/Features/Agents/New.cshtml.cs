using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Features.Agents;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Features.Agents;

public class NewModel(AppDbContext db, IOptions<AgentOptions> ai, RequestLimits limits) : PageModel
{
    [BindProperty]
    public AgentInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Input.CheckModel(ai.Value, ModelState);
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!limits.Allow(Limit.NewAgent, User.FindFirstValue(ClaimTypes.NameIdentifier)!))
            return this.TooMany();
        var agent = new Agent { CreatedById = User.FindFirstValue(ClaimTypes.NameIdentifier)! };
        Input.ApplyTo(agent);
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        TempData["Notice"] = $"{agent.Name} is ready. Add it to a room, then mention @{agent.Handle}.";
        return Redirect("/agents");
    }
}
