namespace AgentRooms.Data.Agents;

public enum ApprovalDecision
{
    Waiting = 0,
    Allowed = 1,
    Denied = 2,

    /// <summary>Nobody decided in time, or the reply ended first.</summary>
    Expired = 3,
}

/// <summary>
/// A tool call an agent's reply wants to make and that waits for the person who asked: they allow it
/// once or deny it, or it expires. Whichever node decides, the node running the reply reads it here.
/// </summary>
public class ToolApproval
{
    public const int ToolMaxLength = 200;
    public const int ArgumentsMaxLength = 1000;

    public long Id { get; set; }
    public long AgentReplyId { get; set; }
    public int RoomId { get; set; }

    /// <summary>The only person who may decide: whoever asked the agent.</summary>
    public string AskerId { get; set; } = "";

    /// <summary>The tool, <c>server/tool</c>.</summary>
    public string Tool { get; set; } = "";

    /// <summary>The arguments as shown (the start of them).</summary>
    public string Arguments { get; set; } = "";

    public ApprovalDecision Decision { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime ExpiresAt { get; set; }
    public DateTime? DecidedAt { get; set; }
}

/// <summary>The site administrator's choice for one tool (<c>server/tool</c>): whether a reply must ask before calling it.</summary>
public class ToolRule
{
    public const int ToolMaxLength = 200;

    public string Tool { get; set; } = "";
    public bool NeedsApproval { get; set; }
}
