using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Invitations;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Invitations;

/// <summary>
/// What an invitation link opens. Unknown, expired, used-up and revoked tokens all answer the
/// same 404; guessing is rate limited per client; joining takes a POST.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(InvitationSetup.GuessPolicy)]
public class LandingModel(AppDbContext db, Membership membership) : PageModel
{
    [FromRoute] public string Token { get; set; } = "";

    public Invitation? Invitation { get; private set; }
    public string RoomName { get; private set; } = "";
    public string RoomDescription { get; private set; } = "";
    public string InvitedBy { get; private set; } = "";
    public int MemberCount { get; private set; }
    public bool AlreadyMember { get; private set; }
    public string Path => Paths.Invitation(Token);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await Load())
            return Invalid();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The page is open to everyone; joining is not. (Razor Pages ignore [Authorize] on handlers.)
        if (User.Identity?.IsAuthenticated != true)
            return Challenge();
        if (!await Load())
            return Invalid();
        var (result, roomId) = await membership.Accept(Invitation!, User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        // The browser lands on the room's own address, so the token leaves the address bar and history.
        return result switch
        {
            MembershipResult.Done or MembershipResult.AlreadyMember => Redirect(Paths.RoomLatest(roomId)),
            MembershipResult.Banned => Removed(),
            _ => Invalid(),
        };
    }

    private async Task<bool> Load()
    {
        if (Token.Length is < 20 or > 100)
            return false;
        var hash = Invitation.Hash(Token);
        var found = await db.Invitations.Include(i => i.Room).Include(i => i.CreatedBy).AsNoTracking()
            .FirstOrDefaultAsync(i => i.TokenHash == hash);
        if (found is null || !found.IsUsable(DateTime.UtcNow))
            return false;
        Invitation = found;
        RoomName = found.Room!.Name;
        RoomDescription = found.Room.Description;
        InvitedBy = found.CreatedBy!.DisplayName;
        MemberCount = await db.RoomMembers.CountAsync(m => m.RoomId == found.RoomId);
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            AlreadyMember = await db.RoomMembers.AnyAsync(m => m.RoomId == found.RoomId && m.UserId == userId);
        return true;
    }

    /// <summary>Shown to someone removed from the room since this link was made.</summary>
    public bool WasRemoved { get; private set; }

    private IActionResult Removed()
    {
        WasRemoved = true;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private IActionResult Invalid()
    {
        Invitation = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
