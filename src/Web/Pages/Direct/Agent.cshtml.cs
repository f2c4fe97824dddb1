using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Direct;

/// <summary>
/// <c>/direct/agent/{agentId}</c>: "Chat with" an agent, which answers every message there without
/// being mentioned. The person's conversation with it opens, or the page offers to start one.
/// </summary>
public class AgentModel(AppDbContext db, DirectConversations direct) : PageModel
{
    [FromRoute] public int AgentId { get; set; }

    public string Name { get; private set; } = "";
    public string Emoji { get; private set; } = "";

    private string Me => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await direct.CanUse(Me, AgentId))
            return NotFound();
        if (await direct.WithAgent(Me, AgentId) is { } roomId)
            return Redirect(Paths.RoomLatest(roomId));
        (Name, Emoji) = await db.Agents.Where(a => a.Id == AgentId).Select(a => new ValueTuple<string, string>(a.Name, a.Emoji)).SingleAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await direct.CanUse(Me, AgentId))
            return NotFound();
        var roomId = await direct.WithAgent(Me, AgentId) ?? await direct.OpenWithAgent(Me, AgentId);
        return Redirect(Paths.RoomLatest(roomId));
    }
}
