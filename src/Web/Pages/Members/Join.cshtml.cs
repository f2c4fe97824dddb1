using System.Security.Claims;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Members;

/// <summary>Joining a public room and leaving any room, from the room page and the rooms list.</summary>
public class JoinModel(Membership membership) : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    /// <summary>Joining and leaving take a POST; a link here just opens the room.</summary>
    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostJoinAsync([FromRoute] int id)
    {
        switch (await membership.Join(id, UserId))
        {
            case MembershipResult.NotFound:
                return NotFound();
            case MembershipResult.Banned:
                Notice = "You were removed from this room, so you can't join it yourself. Its owner or an admin can let you back in, or invite you.";
                break;
        }
        return Redirect(Paths.RoomLatest(id)); // at the newest message, with JavaScript or without
    }

    public async Task<IActionResult> OnPostLeaveAsync([FromRoute] int id)
    {
        switch (await membership.Leave(id, UserId))
        {
            case MembershipResult.Done:
                return Redirect(Paths.Rooms);
            case MembershipResult.LastOwner:
                Notice = "You are this room's only owner. Make someone else an owner before you leave.";
                return Redirect(Paths.Room(id));
            default:
                return NotFound();
        }
    }
}
