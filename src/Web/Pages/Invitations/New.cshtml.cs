using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Invitations;

/// <summary>
/// A room's owners and admins make invite links here (the room page's invite form posts here too);
/// the new link is shown once, on this page.
/// </summary>
public class NewModel(AppDbContext db, InviteLinks links, RequestLimits limits) : PageModel
{
    [FromRoute] public int Id { get; set; }

    [BindProperty(Name = "Invite")]
    public InviteInput Invite { get; set; } = new();

    public string RoomName { get; private set; } = "";
    public string? NewInviteLink { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync() => await Authorize() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await Authorize() is { } refused)
            return refused;
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!limits.Allow(Limit.NewInviteLink, UserId))
            return this.TooMany("Invite.Expires");
        NewInviteLink = await links.Create(Id, UserId, Invite, Request);
        return Page();
    }

    /// <summary>404 for those who may not see the room, 403 for members who may not invite.</summary>
    private async Task<IActionResult?> Authorize()
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { Member: { } member } access)
            return NotFound();
        if (!member.CanModerate)
            return StatusCode(StatusCodes.Status403Forbidden);
        RoomName = access.Room.Name;
        return null;
    }
}
