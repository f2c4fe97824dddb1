namespace AgentRooms.Web.Features.Agents;

/// <summary>The <c>AI</c> and <c>Agents</c> settings.</summary>
public sealed class AgentOptions
{
    /// <summary>An OpenAI-compatible base address, e.g. https://api.openai.com/v1 or http://localhost:11434/v1.</summary>
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Model);

    /// <summary>
    /// The models agents may name, comma-separated (the <c>AI:Models</c> setting); by default only
    /// <see cref="Model"/>. <c>*</c> allows any name the endpoint serves (e.g. a router of many models).
    /// </summary>
    public string? Models { get; set; }

    public bool AnyModel => Models?.Trim() == "*";

    /// <summary>The models to choose from, the site's default first.</summary>
    public IReadOnlyList<string> AllowedModels =>
        (Models ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(m => m != "*").Prepend(Model ?? "").Where(m => m.Length > 0).Distinct().ToList();

    /// <summary>An agent may use the site's default (no model of its own) or one the site allows.</summary>
    public bool Allows(string? model) => string.IsNullOrWhiteSpace(model) || AnyModel || AllowedModels.Contains(model.Trim());

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

    /// <summary>
    /// Longest reply an agent may give, in characters; a model that goes on is cut off there and the
    /// reply is marked truncated. The model is also asked for at most about as many tokens.
    /// </summary>
    public int MaxReplyCharacters { get; set; } = 16_000;

    /// <summary>
    /// Hangfire workers on this node, and as many slots for replies started at once where they were asked
    /// for (ReplyWake); 0 makes a node that serves pages and sockets and leaves replies to the others.
    /// </summary>
    public int Workers { get; set; } = 10;

    /// <summary>Most agents one room may hold (<c>Rooms:MaxAgents</c>).</summary>
    public int MaxPerRoom { get; set; } = 20;

    /// <summary>How often the streaming placeholder is refreshed.</summary>
    public TimeSpan StreamInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
