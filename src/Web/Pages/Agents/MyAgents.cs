using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// A person's own agents. Only an agent's creator finds, edits or deletes it; open rooms with the
/// agent see a change in their member list at once.
/// </summary>
public sealed class MyAgents(AppDbContext db, MemberFeed members)
{
    public Task<List<Agent>> All(string userId) =>
        db.Agents.Where(a => a.CreatedById == userId && a.DeletedAt == null).OrderBy(a => a.Name).AsNoTracking().ToListAsync();

    public Task<Agent?> Find(string userId, int agentId) =>
        db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && a.CreatedById == userId && a.DeletedAt == null);

    public async Task<Agent> Create(string userId, AgentInput input)
    {
        var agent = new Agent { CreatedById = userId };
        input.ApplyTo(agent);
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        return agent;
    }

    /// <summary>False when the new handle is taken in one of the agent's rooms (nothing is saved).</summary>
    public async Task<bool> Update(Agent agent, AgentInput input)
    {
        var unsharing = agent.Shared && !input.Shared;
        input.ApplyTo(agent);
        // The rooms keep a copy of the handle so the database itself refuses duplicates in a room.
        await db.RoomAgents.Where(ra => ra.AgentId == agent.Id).ForEachAsync(ra => ra.Handle = agent.Handle);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        var rooms = await RoomsOf(agent);
        if (unsharing)
        {
            // No longer everyone's: it leaves the rooms others brought it to (its owner's stay), and they see it go.
            await db.RoomAgents.Where(ra => ra.AgentId == agent.Id && ra.AddedById != agent.CreatedById).ExecuteDeleteAsync();
        }
        await MembersChanged(rooms);
        return true;
    }

    /// <summary>The agent leaves every room; its past messages stay, under its name.</summary>
    public async Task Delete(Agent agent)
    {
        var rooms = await RoomsOf(agent);
        agent.DeletedAt = DateTime.UtcNow;
        await db.RoomAgents.Where(ra => ra.AgentId == agent.Id).ExecuteDeleteAsync();
        await db.SaveChangesAsync();
        await MembersChanged(rooms);
    }

    private Task<List<int>> RoomsOf(Agent agent) => db.RoomAgents.Where(ra => ra.AgentId == agent.Id).Select(ra => ra.RoomId).ToListAsync();

    private async Task MembersChanged(List<int> rooms)
    {
        foreach (var roomId in rooms)
            await members.MembersChanged(roomId);
    }
}
