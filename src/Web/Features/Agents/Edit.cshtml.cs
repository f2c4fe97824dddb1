using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Features.Members;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Features.Agents;
using AgentRooms.Web.Realtime;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Features.Agents;

/// <summary>
/// Only an agent's creator edits or deletes it; anyone else gets 404, as for an agent that does not
/// exist. Open rooms with the agent see the change in their member list at once.
/// </summary>
public class EditModel(AppDbContext db, MemberFeed feed, IOptions<AgentOptions> ai) : PageModel
{
    [FromRoute] public int Id { get; set; }

    [BindProperty]
    public AgentInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        if (await Mine() is not { } agent)
            return NotFound();
        Input = AgentInput.From(agent);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await Mine() is not { } agent)
            return NotFound();
        Input.CheckModel(ai.Value, ModelState);
        if (!ModelState.IsValid)
            return this.InvalidForm();

        Input.ApplyTo(agent);
        // The rooms keep a copy of the handle so the database itself refuses duplicates in a room.
        await db.RoomAgents.Where(ra => ra.AgentId == agent.Id).ForEachAsync(ra => ra.Handle = agent.Handle);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            ModelState.AddModelError("Input.Handle", $"Another agent in one of this agent's rooms is already @{agent.Handle}.");
            return this.InvalidForm();
        }
        await MembersChanged(await RoomsOf(agent));
        TempData["Notice"] = $"{agent.Name} is saved.";
        return Redirect("/agents");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (await Mine() is not { } agent)
            return NotFound();
        var rooms = await RoomsOf(agent);
        agent.DeletedAt = DateTime.UtcNow;
        await db.RoomAgents.Where(ra => ra.AgentId == agent.Id).ExecuteDeleteAsync();
        await db.SaveChangesAsync();
        await MembersChanged(rooms);
        TempData["Notice"] = $"{agent.Name} is deleted.";
        return Redirect("/agents");
    }

    private Task<List<int>> RoomsOf(Agent agent) => db.RoomAgents.Where(ra => ra.AgentId == agent.Id).Select(ra => ra.RoomId).ToListAsync();

    private async Task MembersChanged(List<int> rooms)
    {
        foreach (var roomId in rooms)
            await feed.MembersChanged(roomId);
    }

    private async Task<Agent?> Mine()
    {
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        return await db.Agents.FirstOrDefaultAsync(a => a.Id == Id && a.CreatedById == me && a.DeletedAt == null);
    }
}
