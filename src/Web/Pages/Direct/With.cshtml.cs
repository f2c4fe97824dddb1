using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Direct;

/// <summary>
/// <c>/direct/with/{userId}</c>: "Message" on a person. Their conversation opens if there is one;
/// otherwise the page offers to start it (a POST: nothing is made on GET). Only someone the person
/// shares a room with can be reached; anyone else is not found.
/// </summary>
public class WithModel(AppDbContext db, DirectConversations direct) : PageModel
{
    [FromRoute] public string UserId { get; set; } = "";

    public string Name { get; private set; } = "";

    private string Me => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await direct.CanReach(Me, UserId))
            return NotFound();
        if (await direct.With(Me, UserId) is { } roomId)
            return Redirect(Paths.RoomLatest(roomId));
        Name = await db.Users.Where(u => u.Id == UserId).Select(u => u.DisplayName).SingleAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await direct.CanReach(Me, UserId))
            return NotFound();
        var roomId = await direct.With(Me, UserId) ?? await direct.Open(Me, UserId);
        return Redirect(Paths.RoomLatest(roomId));
    }
}
