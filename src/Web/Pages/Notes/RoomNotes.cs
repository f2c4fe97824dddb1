using System.ComponentModel;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace AgentRooms.Web.Pages.Notes;

/// <summary>
/// Adding to a room's notes, for its members (the notes page) and for its agents: an agent its owner lets
/// keep notes is offered <c>remember</c> (<see cref="RememberTool"/>), which adds one as the members would,
/// within the same limits. What an agent remembers is a note like any other: listed in the room's details,
/// changed or removed by anyone there.
/// </summary>
public sealed class RoomNotes(AppDbContext db)
{
    /// <summary>The built-in tool an agent's owner ticks in the agent form.</summary>
    public const string RememberTool = "room/remember";

    public const string RememberDescription = "Keeps short notes in the room's \"Agent notes\", which everyone in the room sees and may change.";

    /// <summary>Adds a note; the reason it cannot be added, or null.</summary>
    public async Task<string?> Add(int roomId, string? text, string? personId, int? agentId)
    {
        var trimmed = text?.Trim() ?? "";
        if (Problem(trimmed) is { } problem)
            return problem;
        if (await db.RoomNotes.CountAsync(n => n.RoomId == roomId) >= RoomNote.MaxPerRoom)
            return $"A room keeps at most {RoomNote.MaxPerRoom} notes. Remove one first.";
        db.RoomNotes.Add(new RoomNote { RoomId = roomId, Text = trimmed, WrittenById = personId, WrittenByAgentId = agentId });
        await db.SaveChangesAsync();
        return null;
    }

    public static string? Problem(string text) =>
        text.Length == 0 ? "Write the note first."
        : text.Length > RoomNote.TextMaxLength ? $"A note is at most {RoomNote.TextMaxLength} characters."
        : null;

    /// <summary><c>remember</c>, for one reply of <paramref name="agentId"/> in <paramref name="roomId"/>.</summary>
    public AIFunction Remember(int roomId, int agentId) => AIFunctionFactory.Create(
        async ([Description("The note: one short fact worth keeping for later, at most 500 characters.")] string note) =>
            await Add(roomId, note, null, agentId) is { } refused ? $"Not kept: {refused}" : "Kept in the room's notes.",
        "remember",
        "Keeps a short note in this room's notes, which you and the room's other agents are given in every later conversation " +
        "and which the room's members see and may change. Use it for facts, decisions and preferences worth remembering; never for secrets.");
}
