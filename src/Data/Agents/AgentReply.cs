using AgentRooms.Data.Messages;

namespace AgentRooms.Data.Agents;

public enum AgentReplyStatus
{
    Pending = 0,
    Running = 1,
    Done = 2,
    Failed = 3,
    Stopped = 4,
    Skipped = 5,
}

/// <summary>One agent's answer to one message; unique per (trigger message, agent).</summary>
public class AgentReply
{
    public const int ErrorMaxLength = 500;

    public long Id { get; set; }
    public long TriggerMessageId { get; set; }
    public Message? TriggerMessage { get; set; }
    public int AgentId { get; set; }
    public Agent? Agent { get; set; }
    public AgentReplyStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public long? ReplyMessageId { get; set; }
    public Message? ReplyMessage { get; set; }

    /// <summary>How many agent replies stand between this one and the human message that began the chain.</summary>
    public int Depth { get; set; }

    /// <summary>The person whose message began the chain: every reply in it counts against their limit.</summary>
    public string? StartedById { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>When a worker claimed it (the latest attempt).</summary>
    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>What the model has said so far while it answers, so a page opened mid-stream shows it; cleared when saved.</summary>
    public string? PartialText { get; set; }

    /// <summary>Tokens the model read and wrote for this reply, all its calls together (Retry and Regenerate add theirs).</summary>
    public int InputTokens { get; set; }

    public int OutputTokens { get; set; }

    /// <summary>
    /// Tokens set aside while the reply runs (its input and the most it may write), counted against
    /// budgets with what is used, so replies asked for at once cannot together pass a budget; 0 once it ends.
    /// </summary>
    public int ReservedTokens { get; set; }

    /// <summary>The model that answered.</summary>
    public string? UsageModel { get; set; }

    /// <summary>The model reported no usage and the tokens were counted here (a tokenizer, or a cautious estimate).</summary>
    public bool TokensEstimated { get; set; }

    public int Tokens => InputTokens + OutputTokens;

    /// <summary>
    /// The asking message's files the agent could not see (an image to a model not set to see images, a
    /// file that is not text or did not fit), named for a note on the reply; none when it saw them all.
    /// </summary>
    public string? Unseen { get; set; }

    public const int UnseenMaxLength = 500;

    /// <summary>The tools it called, in order, as JSON (tool, arguments, a short result); none when it called none.</summary>
    public string? ToolSteps { get; set; }

    /// <summary>What its model was given of the room, as JSON (how many messages, from when to when, the summary, files), for the reply's disclosure.</summary>
    public string? ContextUsed { get; set; }
}
