using System.Security.Claims;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Direct;

/// <summary><c>POST /direct/{roomId}/people</c>: someone in a direct conversation adds a person they share a room with.</summary>
public class PeopleModel(DirectConversations direct) : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    public IActionResult OnGet([FromRoute] int roomId) => Redirect(Paths.Room(roomId));

    public async Task<IActionResult> OnPostAsync([FromRoute] int roomId, [FromForm] string? userId)
    {
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (string.IsNullOrEmpty(userId) || !await direct.CanReach(me, userId))
            return NotFound();
        Notice = await direct.Add(roomId, me, userId);
        return Redirect(Paths.Room(roomId));
    }
}
