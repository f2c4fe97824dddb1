using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Direct;

/// <summary>
/// Direct conversations: rooms underneath (the same messages, live pages, search, reactions), but
/// private, never listed and never joined. A person opens one with someone they share a room with,
/// or with an agent they may use; the people in it add others, up to <see cref="Room.MaxInDirect"/>.
/// The same pair opening it again finds the one they have.
/// </summary>
public sealed class DirectConversations(AppDbContext db, MemberFeed members, IRoomBroadcaster broadcaster, IRoomRenamed renamed)
{
    /// <summary>Someone this person may write to directly: they are in a room together.</summary>
    public Task<bool> CanReach(string me, string other) =>
        db.RoomMembers.AnyAsync(a => a.UserId == me && a.UserId != other && db.RoomMembers.Any(b => b.RoomId == a.RoomId && b.UserId == other));

    /// <summary>The person, if this person may write to them (<see cref="CanReach"/>).</summary>
    public async Task<Partner?> Person(string me, string userId) =>
        await CanReach(me, userId) && await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync() is { } name
            ? new Partner(userId, null, name, null)
            : null;

    /// <summary>The agent, if this person may chat with it (<see cref="AgentAccess.MayUse"/>).</summary>
    public async Task<Partner?> Agent(string me, int agentId) =>
        await db.MayUse(me, agentId) && await db.Agents.Where(a => a.Id == agentId).Select(a => new { a.Name, a.Emoji }).FirstOrDefaultAsync() is { } agent
            ? new Partner(null, agentId, agent.Name, agent.Emoji)
            : null;

    /// <summary>The conversation of exactly this person and the other (no one else, no agent), or with the agent alone, if they have one.</summary>
    public Task<int?> Existing(string me, Partner other) =>
        (other.AgentId is { } agentId
            ? db.Rooms.Where(r => r.Kind == RoomKind.Direct && r.Members.Count == 1 && r.Agents.Count == 1
                && r.Members.Any(m => m.UserId == me) && r.Agents.Any(a => a.AgentId == agentId))
            : db.Rooms.Where(r => r.Kind == RoomKind.Direct && r.Members.Count == 2 && !r.Agents.Any()
                && r.Members.Any(m => m.UserId == me) && r.Members.Any(m => m.UserId == other.UserId)))
        .OrderBy(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync();

    public async Task<int> Open(string me, Partner other)
    {
        var people = other.UserId is { } userId ? new[] { me, userId } : [me];
        var room = Room.OpenDirect("", people);
        if (other.AgentId is { } agentId)
            room.Agents.Add(new RoomAgent { AgentId = agentId, Handle = await db.Agents.Where(a => a.Id == agentId).Select(a => a.Handle).SingleAsync(), AddedById = me });
        db.Rooms.Add(room);
        await db.SaveChangesAsync();
        await Named(room.Id);
        foreach (var person in people)
            await broadcaster.PersonRoomsChanged(person, joinedOrLeft: true);
        return room.Id;
    }

    /// <summary>Adds someone the adder may reach to a conversation the adder is in; null when done, else why not.</summary>
    public async Task<string?> Add(int roomId, string me, string other)
    {
        var count = await db.Rooms.Where(r => r.Id == roomId && r.Kind == RoomKind.Direct && r.Members.Any(m => m.UserId == me))
            .Select(r => (int?)(r.Members.Count + r.Agents.Count)).FirstOrDefaultAsync();
        if (count is null)
            return null;
        if (count >= Room.MaxInDirect)
            return $"A conversation holds at most {Room.MaxInDirect} people and agents.";
        if (await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == other))
            return null;
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = other, Role = RoomRole.Member });
        await db.SaveChangesAsync();
        await Named(roomId);
        await members.Joined(roomId, other);
        return null;
    }

    /// <summary>People this person may add to the conversation: those they share a room with, not in it yet.</summary>
    public async Task<IReadOnlyList<(string UserId, string Name)>> Addable(int roomId, string me) =>
        (await db.Users.Where(u => u.Id != me
                && db.RoomMembers.Any(a => a.UserId == me && db.RoomMembers.Any(b => b.RoomId == a.RoomId && b.UserId == u.Id))
                && !db.RoomMembers.Any(m => m.RoomId == roomId && m.UserId == u.Id))
            .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName }).Take(200).ToListAsync())
        .Select(u => (u.Id, u.DisplayName)).ToList();

    /// <summary>A conversation is called by who is in it (people, then agents); its header and every list follow.</summary>
    public async Task Named(int roomId)
    {
        // Whoever opened it first: the two who open a conversation join it in the same instant, which a
        // database may store as one time (MariaDB's DATETIME), and the name must not change with the query plan.
        var people = await db.RoomMembers.Where(m => m.RoomId == roomId).OrderBy(m => m.UserId != m.Room!.CreatedById).ThenBy(m => m.JoinedAt)
            .Select(m => m.User!.DisplayName).ToListAsync();
        var agents = await db.RoomAgents.Where(a => a.RoomId == roomId).Select(a => a.Agent!.Name).ToListAsync();
        var name = string.Join(", ", people.Concat(agents));
        if (name.Length > Room.NameMaxLength)
            name = name[..(Room.NameMaxLength - 1)] + "…";
        await db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.Name, name));
        await broadcaster.RoomChanged(roomId);
        await renamed.Renamed(roomId);
    }
}

/// <summary>Open pages of the room show its new name (its header). The Rooms feature, which owns the header, provides it.</summary>
public interface IRoomRenamed
{
    Task Renamed(int roomId);
}

/// <summary>Whom a conversation is with: a person (<see cref="UserId"/>) or an agent (<see cref="AgentId"/>).</summary>
public sealed record Partner(string? UserId, int? AgentId, string Name, string? Emoji)
{
    public bool IsAgent => AgentId is not null;
}

public sealed record AddPeopleModel(int RoomId, IReadOnlyList<(string UserId, string Name)> Candidates);
