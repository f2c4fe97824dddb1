using AgentRooms.Data.Accounts;

namespace AgentRooms.Data.Agents;

public enum AgentStyle
{
    Professional = 0,
    Direct = 1,
    Friendly = 2,
    Creative = 3,
    Analytical = 4,
}

public class Agent
{
    public const int NameMaxLength = 100;
    public const int HandleMinLength = 2;
    public const int HandleMaxLength = 32;
    public const int EmojiMaxLength = 16;
    public const int PromptMinLength = 10;
    public const int PromptMaxLength = 4000;
    public const int ModelMaxLength = 100;
    public const int ToolsMaxLength = 4000;
    public const string DefaultEmoji = "🤖";

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Handle { get; set; } = "";
    public string Emoji { get; set; } = DefaultEmoji;
    public string Prompt { get; set; } = "";
    public AgentStyle Style { get; set; }
    public string? Model { get; set; }

    /// <summary>Tokens the agent may use in a day (UTC), everyone's asking together; set by its owner, none for no limit.</summary>
    public int? DailyTokenLimit { get; set; }

    /// <summary>
    /// "Everyone here": listed in the directory; anyone may add it to their rooms and chat with it.
    /// Only its owner edits it. False: only its owner uses it.
    /// </summary>
    public bool Shared { get; set; }

    /// <summary>
    /// The tools its owner lets it use, one <c>server/tool</c> per line (of the site's tool servers);
    /// none: it answers from the conversation alone.
    /// </summary>
    public string? Tools { get; set; }

    public IReadOnlyList<string> ToolList =>
        (Tools ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    public string CreatedById { get; set; } = "";
    public User? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Deleted agents keep their past messages attributed; they leave every room.</summary>
    public DateTime? DeletedAt { get; set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>How the model is asked to speak, per style.</summary>
    public string StyleInstruction => Style switch
    {
        AgentStyle.Professional => "Write in a professional, courteous and precise tone.",
        AgentStyle.Direct => "Be direct and brief: lead with the answer, skip pleasantries.",
        AgentStyle.Friendly => "Be warm, friendly and encouraging.",
        AgentStyle.Creative => "Be imaginative and playful; offer fresh angles and ideas.",
        AgentStyle.Analytical => "Be analytical: reason step by step, weigh options and state assumptions.",
        _ => "",
    };
}
