using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Direct;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>Which agents are in a room: adding and removing them, stopping their replies, and what a room page shows of them.</summary>
public sealed class AgentsInRoom(
    AppDbContext db, MemberFeed members, ReplyFeed replies, ReplyStarter starter, IRoomBroadcaster broadcaster, RequestLimits limits, IOptions<RoomAgentOptions> roomOptions,
    DirectConversations direct)
{
    /// <summary>Members add their own agents and shared ones; a refusal comes back as the sentence to show.</summary>
    public async Task<(bool Found, string Notice)> Add(int roomId, string userId, int agentId)
    {
        if (await RoomAccess.Find(db, roomId, userId) is not { IsMember: true } access)
            return (false, "");
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && (a.CreatedById == userId || a.Shared) && a.DeletedAt == null);
        if (agent is null)
            return (false, "");
        if (!await db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId && ra.AgentId == agentId))
        {
            if (access.Room.IsDirect && await db.RoomAgents.CountAsync(ra => ra.RoomId == roomId)
                + await db.RoomMembers.CountAsync(m => m.RoomId == roomId) >= Room.MaxInDirect)
                return (true, $"A conversation holds at most {Room.MaxInDirect} people and agents.");
            var maxAgents = roomOptions.Value.MaxAgents;
            if (await db.RoomAgents.CountAsync(ra => ra.RoomId == roomId) >= maxAgents)
                return (true, $"A room holds at most {maxAgents} agents. Remove one to add {agent.Name}.");
            db.RoomAgents.Add(new RoomAgent { RoomId = roomId, AgentId = agent.Id, Handle = agent.Handle, AddedById = userId });
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                return (true, $"This room already has an agent called @{agent.Handle}. Rename one of them to add {agent.Name}.");
            }
            await members.MembersChanged(roomId);
            if (access.Room.IsDirect)
                await direct.Named(roomId); // a conversation is called by who is in it
        }
        return (true, access.Room.IsDirect ? $"{agent.Name} joined. It answers every message here." : $"{agent.Name} joined. Mention @{agent.Handle} to ask it something.");
    }

    /// <summary>The agent's owner, whoever brought it in (a shared agent), or the room's owners and admins take it out.</summary>
    public async Task<MembershipResult> Remove(int roomId, string userId, int agentId)
    {
        if (await RoomAccess.Find(db, roomId, userId) is not { Member: { } member })
            return MembershipResult.NotFound;
        var roomAgent = await db.RoomAgents.Include(ra => ra.Agent).FirstOrDefaultAsync(ra => ra.RoomId == roomId && ra.AgentId == agentId);
        if (roomAgent is null)
            return MembershipResult.NotFound;
        if (roomAgent.Agent!.CreatedById != userId && roomAgent.AddedById != userId && !member.CanModerate)
            return MembershipResult.Forbidden;
        db.RoomAgents.Remove(roomAgent);
        await db.SaveChangesAsync();
        await members.MembersChanged(roomId);
        if (await db.Rooms.AnyAsync(r => r.Id == roomId && r.Kind == RoomKind.Direct))
            await direct.Named(roomId);
        return MembershipResult.Done;
    }

    /// <summary>Whoever mentioned the agent, or the room's owners and admins, may stop its reply; the partial text stays.</summary>
    public async Task<MembershipResult> Stop(int roomId, string userId, long replyId)
    {
        if (await RoomAccess.Find(db, roomId, userId) is not { Member: { } member })
            return MembershipResult.NotFound;
        var reply = await db.AgentReplies.Include(r => r.TriggerMessage)
            .FirstOrDefaultAsync(r => r.Id == replyId && r.TriggerMessage!.RoomId == roomId);
        if (reply is null)
            return MembershipResult.NotFound;
        if (reply.TriggerMessage!.SenderUserId != userId && !member.CanModerate)
            return MembershipResult.Forbidden;

        // Running (on this node or another): its model call is cancelled and the partial reply stays.
        await RunningReplies.StopEverywhere(broadcaster, replyId);
        // Not started yet: it never will.
        var stopped = await db.AgentReplies.Where(r => r.Id == replyId && r.Status == AgentReplyStatus.Pending)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Stopped).SetProperty(x => x.CompletedAt, DateTime.UtcNow));
        if (stopped == 1)
            await replies.Ended(reply);
        return MembershipResult.Done;
    }

    /// <summary>
    /// Retry (a failed reply) or Regenerate (a finished one): whoever asked, or the room's owners and
    /// admins, have the agent answer the same message again. The reply row starts over; its new answer
    /// takes the old one's place (the same message, so the same spot in the room).
    /// </summary>
    public async Task<AgainResult> Again(int roomId, string userId, long messageId)
    {
        if (await RoomAccess.Find(db, roomId, userId) is not { Member: { } member })
            return AgainResult.NotFound;
        var reply = await db.AgentReplies.Include(r => r.TriggerMessage)
            .FirstOrDefaultAsync(r => r.ReplyMessageId == messageId && r.TriggerMessage!.RoomId == roomId && r.ReplyMessage!.DeletedAt == null);
        if (reply is null)
            return AgainResult.NotFound;
        if (reply.TriggerMessage!.SenderUserId != userId && !member.CanModerate)
            return AgainResult.Forbidden;
        if (!await db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId && ra.AgentId == reply.AgentId))
            return AgainResult.AgentGone;
        if (!limits.Allow(Limit.Post, userId))
            return AgainResult.TooMany;
        var final = new[] { AgentReplyStatus.Done, AgentReplyStatus.Failed, AgentReplyStatus.Stopped };
        var restarted = await db.AgentReplies.Where(r => r.Id == reply.Id && final.Contains(r.Status))
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Pending).SetProperty(x => x.Attempts, 0)
                .SetProperty(x => x.Error, (string?)null).SetProperty(x => x.StartedAt, (DateTime?)null).SetProperty(x => x.CompletedAt, (DateTime?)null)
                .SetProperty(x => x.PartialText, (string?)null));
        if (restarted == 0)
            return AgainResult.Busy; // already answering again
        await starter.Start([reply]);
        return AgainResult.Started;
    }

    /// <summary>The agents panel for one viewer: the room's agents (removable ones marked) and their own agents not yet in it.</summary>
    public async Task<AgentsPanelModel> Panel(int roomId, string userId, bool canModerate)
    {
        var inRoom = (await db.RoomAgents.Where(ra => ra.RoomId == roomId)
                .Select(ra => new { ra.AgentId, ra.Agent!.Name, ra.Agent.Emoji, ra.Handle, ra.Agent.CreatedById, ra.AddedById }).AsNoTracking().ToListAsync())
            .Select(ra => new RoomAgentRow(ra.AgentId, ra.Name, ra.Emoji, ra.Handle, ra.CreatedById == userId || ra.AddedById == userId || canModerate))
            .OrderBy(ra => ra.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var present = inRoom.Select(ra => ra.AgentId).ToHashSet();
        var mine = (await db.Agents.Where(a => (a.CreatedById == userId || a.Shared) && a.DeletedAt == null)
                .OrderBy(a => a.CreatedById != userId).ThenBy(a => a.Name).AsNoTracking().ToListAsync())
            .Where(a => !present.Contains(a.Id)).ToList();
        return new AgentsPanelModel(roomId, inRoom, mine, userId);
    }

    /// <summary>The replies still pending or streaming, shown as placeholders on a freshly loaded page.</summary>
    public async Task<IReadOnlyList<ReplyShown>> Answering(int roomId, CancellationToken cancel = default) =>
        (await db.AgentReplies
            .Where(r => r.TriggerMessage!.RoomId == roomId && (r.Status == AgentReplyStatus.Pending || r.Status == AgentReplyStatus.Running))
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.Agent!.Name, r.Agent.Emoji, r.TriggerMessage!.SenderUserId, r.PartialText, r.ToolSteps })
            .AsNoTracking().ToListAsync(cancel))
        .Select(r => new ReplyShown(r.Id, roomId, r.Name, r.Emoji, r.SenderUserId, r.PartialText, ToolStep.Read(r.ToolSteps))).ToList();
}

public enum AgainResult
{
    Started,
    NotFound,
    Forbidden,
    AgentGone,
    Busy,
    TooMany,
}
