namespace AgentRooms.Data.Rooms;

/// <summary>
/// A short note a room keeps for its agents ("we deploy on Thursdays"), written and edited by its members,
/// or by an agent that may keep notes (its <c>remember</c> tool); listed in the room's details and given to every
/// agent there as standing context.
/// </summary>
public class RoomNote
{
    public const int TextMaxLength = 500;

    /// <summary>The most notes one room keeps.</summary>
    public const int MaxPerRoom = 50;

    public long Id { get; set; }
    public int RoomId { get; set; }
    public string Text { get; set; } = "";

    /// <summary>Who wrote it, or last changed it.</summary>
    public string? WrittenById { get; set; }

    /// <summary>The agent that wrote it (its <c>remember</c> tool), until a person changes it.</summary>
    public int? WrittenByAgentId { get; set; }

    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
