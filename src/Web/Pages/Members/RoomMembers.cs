using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Members;

public sealed record PersonShown(string UserId, string Name, RoomRole Role, bool IsHere)
{
    /// <summary>How others mention this person: <c>@</c> and the name in lower case, other characters as dashes ("Ada Lovelace" → "ada-lovelace").</summary>
    public string Mention => MentionOf(Name);

    public static string MentionOf(string name)
    {
        var dashed = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        return string.Join('-', dashed.Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}

public sealed record AgentShown(int AgentId, string Name, string Handle, string Emoji);

/// <summary>Who is in a room, and who of them has it open right now.</summary>
public sealed record RoomMembers(IReadOnlyList<PersonShown> People, IReadOnlyList<AgentShown> Agents)
{
    public static async Task<RoomMembers> Load(AppDbContext db, IPresence presence, int roomId, CancellationToken cancel = default)
    {
        var here = await presence.UsersIn(roomId, cancel);
        // An integration (a webhook's) is no one to talk to: its messages speak for it; the room's settings list it.
        var people = await db.RoomMembers.Where(m => m.RoomId == roomId && !m.User!.IsIntegration)
            .Select(m => new { m.UserId, m.User!.DisplayName, m.Role })
            .AsNoTracking().ToListAsync(cancel);
        var agents = await db.RoomAgents.Where(a => a.RoomId == roomId && a.Agent!.DeletedAt == null)
            .Select(a => new AgentShown(a.AgentId, a.Agent!.Name, a.Handle, a.Agent.Emoji))
            .AsNoTracking().ToListAsync(cancel);
        return new RoomMembers(
            people.Select(p => new PersonShown(p.UserId, p.DisplayName, p.Role, here.Contains(p.UserId)))
                .OrderByDescending(p => p.IsHere).ThenByDescending(p => p.Role).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .ToList(),
            agents.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList());
    }
}
