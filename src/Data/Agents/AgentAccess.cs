using AgentRooms.Data.Rooms;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Data.Agents;

/// <summary>Who may talk with an agent, asked again at every message (access lost is access gone).</summary>
public static class AgentAccess
{
    /// <summary>
    /// Its owner; anyone, when it is shared; or someone in a room it is in. A direct conversation counts
    /// only when the agent's owner brought it there: the one a person opened with it themselves grants nothing.
    /// </summary>
    public static Task<bool> MayUse(this AppDbContext db, string userId, int agentId, CancellationToken cancel = default) =>
        db.Agents.AnyAsync(a => a.Id == agentId && a.DeletedAt == null
            && (a.CreatedById == userId || a.Shared
                || db.RoomAgents.Any(ra => ra.AgentId == agentId && (ra.Room!.Kind != RoomKind.Direct || ra.AddedById == a.CreatedById)
                    && db.RoomMembers.Any(m => m.RoomId == ra.RoomId && m.UserId == userId))), cancel);
}
