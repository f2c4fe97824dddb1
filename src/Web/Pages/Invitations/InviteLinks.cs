using AgentRooms.Data;
using AgentRooms.Data.Invitations;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Invitations;

/// <summary>A room's invite links: made by its owners and admins, listed and revoked on its settings page.</summary>
public sealed class InviteLinks(AppDbContext db, IOptions<AppOptions> app)
{
    /// <summary>The link, shown once: only the token's hash is kept.</summary>
    public async Task<string> Create(int roomId, string userId, InviteInput input, HttpRequest request)
    {
        var (invitation, token) = Invitation.Create(roomId, userId, input.ExpiresAt(DateTime.UtcNow), input.MaxUses);
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        return app.Value.BaseUrl(request) + Paths.Invitation(token);
    }

    /// <summary>False when the room has no such invitation.</summary>
    public async Task<bool> Revoke(int roomId, int invitationId)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.RoomId == roomId);
        if (invitation is null)
            return false;
        invitation.Revoke();
        await db.SaveChangesAsync();
        return true;
    }

    /// <summary>The links that still work, newest first.</summary>
    public async Task<IReadOnlyList<InvitationRow>> Usable(int roomId)
    {
        var now = DateTime.UtcNow;
        return (await db.Invitations.Where(i => i.RoomId == roomId && i.RevokedAt == null).Include(i => i.CreatedBy)
                .OrderByDescending(i => i.CreatedAt).AsNoTracking().ToListAsync())
            .Where(i => i.IsUsable(now))
            .Select(i => new InvitationRow(i.Id, i.CreatedBy!.DisplayName, i.CreatedAt, i.ExpiresAt, i.Uses, i.MaxUses)).ToList();
    }
}

public sealed record InvitationRow(int Id, string CreatedBy, DateTime CreatedAt, DateTime? ExpiresAt, int Uses, int? MaxUses);
