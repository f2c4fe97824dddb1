using AgentRooms.Data;
using AgentRooms.Data.Invitations;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Members;

public enum MembershipResult
{
    Done,
    NotFound,
    Forbidden,
    LastOwner,
    AlreadyMember,
    /// <summary>Removed from the room: they may come back only when let back in, or invited.</summary>
    Banned,
}

/// <summary>
/// Who is in a room and in what role. Every change runs in a transaction that first locks the
/// room's row, so concurrent changes to one room are applied one at a time and a room always
/// keeps an owner.
/// </summary>
public sealed class Membership(AppDbContext db, MemberFeed feed, IMembershipLines lines)
{
    /// <summary>
    /// The member has seen the room up to <paramref name="seq"/> (unread counts start after it). It only
    /// moves forward, and never past the room's newest message; their other pages' counts follow.
    /// </summary>
    public async Task MarkRead(int roomId, string userId, long seq, CancellationToken cancel = default)
    {
        var moved = await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId == userId && m.LastReadSeq < seq && m.Room!.LastSeq >= seq)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.LastReadSeq, seq), cancel);
        if (moved > 0)
            await feed.Read(userId);
    }

    /// <summary>Anyone signed in may join a public room, unless they were removed from it.</summary>
    public async Task<MembershipResult> Join(int roomId, string userId)
    {
        if (await RoomAccess.Find(db, roomId, userId) is not { } access)
            return MembershipResult.NotFound;
        if (access.IsMember)
            return MembershipResult.AlreadyMember;
        if (await db.RoomBans.AnyAsync(b => b.RoomId == roomId && b.UserId == userId))
            return MembershipResult.Banned;
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = userId, Role = RoomRole.Member, LastReadSeq = 0 });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            return MembershipResult.AlreadyMember; // joined twice at once: the first join stands
        }
        await feed.Joined(roomId, userId);
        await lines.Joined(roomId, userId);
        return MembershipResult.Done;
    }

    public Task<MembershipResult> Leave(int roomId, string userId) =>
        Change(roomId, userId, userId, async (actor, _) =>
        {
            if (actor.Role == RoomRole.Owner && !await HasAnotherOwner(roomId, userId))
                return MembershipResult.LastOwner;
            db.RoomMembers.Remove(actor);
            return MembershipResult.Done;
        }, removed: true);

    /// <summary>The removed person may not rejoin by themselves until let back in, or invited.</summary>
    public Task<MembershipResult> Remove(int roomId, string actorId, string targetId) =>
        Change(roomId, actorId, targetId, async (actor, target) =>
        {
            if (!actor.CanRemove(target))
                return MembershipResult.Forbidden;
            db.RoomMembers.Remove(target);
            if (!await db.RoomBans.AnyAsync(b => b.RoomId == roomId && b.UserId == targetId))
                db.RoomBans.Add(new RoomBan { RoomId = roomId, UserId = targetId, BannedById = actorId });
            return MembershipResult.Done;
        }, removed: true);

    /// <summary>Owners and admins let a removed person join again.</summary>
    public async Task<MembershipResult> LetBackIn(int roomId, string actorId, string userId)
    {
        if (await db.RoomMembers.FirstOrDefaultAsync(m => m.RoomId == roomId && m.UserId == actorId) is not { CanModerate: true })
            return MembershipResult.Forbidden;
        return await db.RoomBans.Where(b => b.RoomId == roomId && b.UserId == userId).ExecuteDeleteAsync() > 0
            ? MembershipResult.Done
            : MembershipResult.NotFound;
    }

    /// <summary>Owner only: a member becomes admin, or an admin member again.</summary>
    public Task<MembershipResult> SetRole(int roomId, string actorId, string targetId, RoomRole role) =>
        Change(roomId, actorId, targetId, (actor, target) =>
        {
            if (!actor.CanChangeRoles || role == RoomRole.Owner || target.Role == RoomRole.Owner || target.UserId == actorId)
                return Task.FromResult(MembershipResult.Forbidden);
            target.Role = role;
            return Task.FromResult(MembershipResult.Done);
        });

    /// <summary>Owner only: another member becomes owner, and the old owner an admin.</summary>
    public Task<MembershipResult> HandOver(int roomId, string actorId, string targetId) =>
        Change(roomId, actorId, targetId, (actor, target) =>
        {
            if (!actor.CanChangeRoles || target.UserId == actorId)
                return Task.FromResult(MembershipResult.Forbidden);
            target.Role = RoomRole.Owner;
            actor.Role = RoomRole.Admin;
            return Task.FromResult(MembershipResult.Done);
        });

    /// <summary>
    /// Accepting is atomic: the use is counted by one conditional update, so a one-use link
    /// admits exactly one person however many try at once. Members reopening it count no use.
    /// </summary>
    public async Task<(MembershipResult Result, int RoomId)> Accept(Invitation invitation, string userId)
    {
        var roomId = invitation.RoomId;
        if (await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId))
            return (MembershipResult.AlreadyMember, roomId);
        // A removal stands against every link made before it (the one the person came in by, say): only
        // an owner or admin letting them back in, or a link made after it, brings them back.
        if (await db.RoomBans.AnyAsync(b => b.RoomId == roomId && b.UserId == userId && b.CreatedAt >= invitation.CreatedAt))
            return (MembershipResult.Banned, roomId);

        var now = DateTime.UtcNow;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var counted = await db.Invitations
                .Where(i => i.Id == invitation.Id && i.RevokedAt == null && (i.ExpiresAt == null || i.ExpiresAt > now)
                    && (i.MaxUses == null || i.Uses < i.MaxUses))
                .ExecuteUpdateAsync(i => i.SetProperty(x => x.Uses, x => x.Uses + 1));
            if (counted == 0)
                return (MembershipResult.NotFound, roomId);
            db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = userId, Role = RoomRole.Member });
            // A link made after the removal is the room's people asking the person back: it lifts the removal.
            await db.RoomBans.Where(b => b.RoomId == roomId && b.UserId == userId).ExecuteDeleteAsync();
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                // Accepted twice at once by the same person: the first stands, this use is not counted.
                return (MembershipResult.AlreadyMember, roomId);
            }
            await transaction.CommitAsync();
        }
        await feed.Joined(roomId, userId);
        await lines.Joined(roomId, userId);
        return (MembershipResult.Done, roomId);
    }

    private async Task<MembershipResult> Change(int roomId, string actorId, string targetId,
        Func<RoomMember, RoomMember, Task<MembershipResult>> change, bool removed = false)
    {
        MembershipResult result;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.LastSeq, x => x.LastSeq));
            var actor = await db.RoomMembers.FirstOrDefaultAsync(m => m.RoomId == roomId && m.UserId == actorId);
            var target = actorId == targetId ? actor
                : await db.RoomMembers.FirstOrDefaultAsync(m => m.RoomId == roomId && m.UserId == targetId);
            if (actor is null)
                return MembershipResult.NotFound;
            if (target is null)
                return actor.CanModerate ? MembershipResult.NotFound : MembershipResult.Forbidden;
            result = await change(actor, target);
            if (result != MembershipResult.Done)
                return result;
            if (removed)
            {
                // The agents they brought leave with them: nobody outside the room steers a voice in it.
                await db.RoomAgents.Where(ra => ra.RoomId == roomId && ra.AddedById == targetId).ExecuteDeleteAsync();
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        if (removed)
        {
            await feed.MemberLeft(roomId, targetId);
            await lines.Left(roomId, targetId, removed: actorId != targetId);
        }
        else
            await feed.MembersChanged(roomId);
        return result;
    }

    private Task<bool> HasAnotherOwner(int roomId, string userId) =>
        db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.Role == RoomRole.Owner && m.UserId != userId);
}
