namespace AgentRooms.Web.Pages.Agents;

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
    /// <remarks>Not bound: <c>AI:Models</c> is either this one line or a list (<see cref="ModelList"/>), which a string property cannot take; set from the line in AgentSetup.</remarks>
    public string? Models { get; internal set; }

    /// <summary>
    /// <c>AI:Models</c> as a list, one entry per model with its settings (<c>AI:Models:0:Name</c>,
    /// <c>AI:Models:0:Images</c>); read by <see cref="ReadModelList"/> when the setting is not one line.
    /// </summary>
    public List<ModelSetting> ModelList { get; set; } = [];

    private IEnumerable<string> Named =>
        (Models ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Concat(ModelList.Select(m => m.Name));

    public bool AnyModel => Named.Contains("*");

    /// <summary>The models to choose from, the site's default first.</summary>
    public IReadOnlyList<string> AllowedModels =>
        Named.Where(m => m != "*").Prepend(Model ?? "").Where(m => m.Length > 0).Distinct().ToList();

    /// <summary>Whether <paramref name="model"/> (an agent's, or the site's default) is set to see images; a <c>*</c> entry speaks for every model.</summary>
    public bool SeesImages(string? model)
    {
        var name = string.IsNullOrWhiteSpace(model) ? Model : model.Trim();
        return (ModelList.FirstOrDefault(m => m.Name == name) ?? ModelList.FirstOrDefault(m => m.Name == "*"))?.Images == true;
    }

    /// <summary>Whether <paramref name="model"/> may be offered tools (<c>AI:Models:N:Tools</c>, yes unless set to false).</summary>
    public bool CallsTools(string? model)
    {
        var name = string.IsNullOrWhiteSpace(model) ? Model : model.Trim();
        return (ModelList.FirstOrDefault(m => m.Name == name) ?? ModelList.FirstOrDefault(m => m.Name == "*"))?.Tools != false;
    }

    /// <summary>The list form of <c>AI:Models</c>: each entry's Name, whether that model accepts images and calls tools, and its context window.</summary>
    public static List<ModelSetting> ReadModelList(IConfigurationSection models) =>
        !string.IsNullOrWhiteSpace(models.Value) ? [] : models.GetChildren()
            .Where(entry => !string.IsNullOrWhiteSpace(entry["Name"]))
            .Select(entry => new ModelSetting(entry["Name"]!.Trim(), bool.TryParse(entry["Images"], out var images) && images,
                int.TryParse(entry["ContextTokens"], out var window) && window > 0 ? window : null,
                !bool.TryParse(entry["Tools"], out var tools) || tools))
            .ToList();

    /// <summary>An agent may use the site's default (no model of its own) or one the site allows.</summary>
    public bool Allows(string? model) => string.IsNullOrWhiteSpace(model) || AnyModel || AllowedModels.Contains(model.Trim());

    /// <summary>Tokens one person's mentions may use in a day (UTC), all agents together (<c>AI:DailyTokensPerPerson</c>); none for no limit.</summary>
    public long? DailyTokensPerPerson { get; set; }

    /// <summary>How far agents may set each other off, counted from the person's message (<c>Agents:MaxDepth</c>).</summary>
    public int MaxDepth { get; set; } = 2;

    /// <summary>Agent replies one person may set off per minute, the replies of agents answering agents included.</summary>
    public int MentionsPerMinute { get; set; } = 20;

    /// <summary>Agent replies one room may have per minute, whoever set them off.</summary>
    public int RoomRepliesPerMinute { get; set; } = 60;

    /// <summary>Longest a reply may take, from the first attempt to the last token.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long a running reply may go without a live worker holding it before the sweeper hands it
    /// to another (its node died mid-reply).
    /// </summary>
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a reply may stay pending (asked for, not yet started) before the sweeper queues it again:
    /// its job may have been lost with a node that died. Queued twice, it is still answered once.
    /// </summary>
    public TimeSpan PendingGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each node's sweeper looks for replies a crash left behind.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The context window, in tokens, of a model without one of its own in <c>AI:Models</c>: the prompt,
    /// the room's newest messages that fit, and room for the reply.
    /// </summary>
    public int ContextTokens { get; set; } = 16_384;

    /// <summary>The most messages read for a context, however short they are.</summary>
    public int ContextMessages { get; set; } = 200;

    /// <summary>The context window of <paramref name="model"/> (an agent's, or the site's default).</summary>
    /// <summary>
    /// Tokens kept for a reply, and the most the model is asked for: about the reply's character cap
    /// (tokens are three to four characters of ordinary text), and never more than half the model's window.
    /// </summary>
    public int ReplyTokensFor(string? model) => Math.Min(MaxReplyCharacters / 3 + 1, ContextTokensFor(model) / 2);

    public int ContextTokensFor(string? model)
    {
        var name = string.IsNullOrWhiteSpace(model) ? Model : model.Trim();
        return (ModelList.FirstOrDefault(m => m.Name == name) ?? ModelList.FirstOrDefault(m => m.Name == "*"))?.ContextTokens ?? ContextTokens;
    }

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

    /// <summary>Images of the message that asks an agent, at most this many, to models that see them.</summary>
    public int MaxImages { get; set; } = 4;

    /// <summary>Images go to the model scaled to fit in this many pixels a side.</summary>
    public int ImageSide { get; set; } = 1024;

    /// <summary>A text file of that message goes to the model as text if it is at most this many bytes.</summary>
    public int MaxTextFileBytes { get; set; } = 32 * 1024;

    /// <summary>The model that writes summaries ("Summarize unread", a long room's rolling summary); none: <see cref="Model"/>.</summary>
    public string? SummaryModel { get; set; }

    /// <summary>
    /// A room's rolling summary is brought up to date once this many messages have fallen out of the
    /// agents' context unsummarised (<c>Agents:SummarizeAfter</c>); 0 keeps no rolling summary.
    /// </summary>
    public int SummarizeAfter { get; set; } = 20;

    /// <summary>Longest summary, in characters.</summary>
    public int SummaryMaxCharacters { get; set; } = 4_000;

    /// <summary>Most tool calls one reply may make (<c>Agents:MaxToolCalls</c>).</summary>
    public int MaxToolCalls { get; set; } = 5;

    /// <summary>A tool's result goes back to the model cut to this many characters.</summary>
    public int MaxToolResultCharacters { get; set; } = 8_000;

    /// <summary>How often the streaming placeholder is refreshed.</summary>
    public TimeSpan StreamInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>One model of <c>AI:Models</c> in the list form, and what it can take.</summary>
public sealed record ModelSetting(string Name, bool Images, int? ContextTokens = null, bool Tools = true);
