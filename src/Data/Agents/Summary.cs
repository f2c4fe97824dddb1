using AgentRooms.Data.Rooms;

namespace AgentRooms.Data.Agents;

public enum SummaryKind
{
    /// <summary>What one person missed, made when they asked ("Summarize unread"), shown to them alone.</summary>
    Unread = 0,

    /// <summary>The room's rolling summary of what came before the newest messages, kept for agents' context.</summary>
    Room = 1,
}

/// <summary>
/// A summary the model wrote of a room's messages <see cref="FromSeq"/> to <see cref="UpToSeq"/>, and
/// what it cost. A room has at most one <see cref="SummaryKind.Room"/> summary, updated as the room grows.
/// </summary>
public class Summary
{
    public long Id { get; set; }
    public int RoomId { get; set; }
    public Room? Room { get; set; }
    public SummaryKind Kind { get; set; }

    /// <summary>Who asked (an unread summary); none for the room's own.</summary>
    public string? UserId { get; set; }

    public long FromSeq { get; set; }
    public long UpToSeq { get; set; }

    /// <summary>The room's summary (kept for the agents' context); none for an unread summary, which is shown once.</summary>
    public string? Text { get; set; }

    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public string? UsageModel { get; set; }
    public bool TokensEstimated { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
