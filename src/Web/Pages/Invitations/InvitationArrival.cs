using System.Text.RegularExpressions;
using AgentRooms.Data;
using AgentRooms.Data.Invitations;
using AgentRooms.Web.Pages.Accounts;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Invitations;

/// <summary>
/// Someone who opened an invitation and then created an account or signed in came back to join:
/// they join the room and land in it, instead of on the invitation again. A link that is no longer
/// usable leads back to it, which says so.
/// </summary>
public sealed partial class InvitationArrival(AppDbContext db, Membership membership) : IArrival
{
    public async Task<string?> Arrive(string returnUrl, string userId)
    {
        if (InvitationPath().Match(returnUrl) is not { Success: true } match)
            return null;
        var hash = Invitation.Hash(match.Groups[1].Value);
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash);
        if (invitation is null || !invitation.IsUsable(DateTime.UtcNow))
            return null;
        var (result, roomId) = await membership.Accept(invitation, userId);
        return result is MembershipResult.Done or MembershipResult.AlreadyMember ? Paths.RoomLatest(roomId) : null;
    }

    [GeneratedRegex("^/invite/([A-Za-z0-9_-]{20,100})$")]
    private static partial Regex InvitationPath();
}
