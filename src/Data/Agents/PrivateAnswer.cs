namespace AgentRooms.Data.Agents;

/// <summary>
/// An agent's answer to a question one member asked it privately in a room ("Ask privately"): neither is a
/// message of the room, and only the asker sees them, until they share the answer ("Share to room"),
/// which posts it as the agent's message. Its tokens count against the asker's and the agent's budgets.
/// </summary>
public class PrivateAnswer
{
    public long Id { get; set; }
    public int RoomId { get; set; }
    public string AskerId { get; set; } = "";
    public int AgentId { get; set; }
    public string Question { get; set; } = "";

    /// <summary>The answer as the model wrote it (Markdown, with its citations linked).</summary>
    public string Answer { get; set; } = "";

    /// <summary>The model failed or was stopped: the answer says why, and it cannot be shared.</summary>
    public bool Failed { get; set; }

    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public bool TokensEstimated { get; set; }
    public string? UsageModel { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The room's message it became when shared.</summary>
    public long? SharedMessageId { get; set; }
    public Messages.Message? SharedMessage { get; set; }
}
