namespace AgentRooms.Web.Agents;

/// <summary>The <c>AI</c> and <c>Agents</c> settings.</summary>
public sealed class AgentOptions
{
    /// <summary>An OpenAI-compatible base address, e.g. https://api.openai.com/v1 or http://localhost:11434/v1.</summary>
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Model);

    /// <summary>Longest a reply may take, from the first attempt to the last token.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long a running reply may go without a live worker holding it before the sweeper hands it
    /// to another (its node died mid-reply).
    /// </summary>
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often each node's sweeper looks for replies a crash left behind.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many of the room's latest messages the model sees, and how many characters of them at most.</summary>
    public int ContextMessages { get; set; } = 30;
    public int ContextCharacters { get; set; } = 12_000;

    /// <summary>How far agents may set each other off, counted from the person's message.</summary>
    public int MaxDepth { get; set; } = 2;

    /// <summary>Agent mentions one person may make per minute.</summary>
    public int MentionsPerMinute { get; set; } = 20;

    /// <summary>How often the streaming placeholder is refreshed.</summary>
    public TimeSpan StreamInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
