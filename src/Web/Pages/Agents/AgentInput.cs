using AgentRooms.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Pages.Notes;
using AgentRooms.Web.Pages.Tools;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace AgentRooms.Web.Pages.Agents;

public class AgentInput
{
    [Required(ErrorMessage = "Give the agent a name.")]
    [StringLength(Agent.NameMaxLength, ErrorMessage = "Names are at most {1} characters.")]
    [SingleLine]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "Choose a handle, used as @handle.")]
    [StringLength(Agent.HandleMaxLength, MinimumLength = Agent.HandleMinLength, ErrorMessage = "Handles are {2} to {1} characters.")]
    [RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Handles use only lowercase letters a–z, digits and -.")]
    public string Handle { get; set; } = "";

    [StringLength(Agent.EmojiMaxLength, ErrorMessage = "One emoji, please.")]
    public string? Emoji { get; set; }

    [Required(ErrorMessage = "Tell the agent who it is and how to help.")]
    [StringLength(Agent.PromptMaxLength, MinimumLength = Agent.PromptMinLength, ErrorMessage = "Prompts are {2} to {1} characters.")]
    public string Prompt { get; set; } = "";

    [EnumDataType(typeof(AgentStyle), ErrorMessage = "Choose one of the styles.")]
    public AgentStyle Style { get; set; } = AgentStyle.Friendly;

    [StringLength(Agent.ModelMaxLength, ErrorMessage = "Model names are at most {1} characters.")]
    [RegularExpression(@"^[\w.:/-]*$", ErrorMessage = "Model names use letters, digits and . : / - _ only.")]
    public string? Model { get; set; }

    public const int DailyTokenLimitMin = 100;
    public const int DailyTokenLimitMax = 1_000_000_000;

    [Range(DailyTokenLimitMin, DailyTokenLimitMax, ErrorMessage = "A daily limit is a whole number of tokens from {1} to {2}, or empty for none.")]
    public int? DailyTokenLimit { get; set; }

    /// <summary>"Everyone here" (true) or "Only me".</summary>
    public bool Shared { get; set; }

    /// <summary>The tools it may call, each <c>server/tool</c>.</summary>
    public List<string> Tools { get; set; } = [];

    /// <summary>
    /// Each tool must be one a tool server offers now, or one the agent had already (a server that is
    /// down for a moment costs no one their choices).
    /// </summary>
    public async Task CheckTools(ToolServers servers, Agent? agent, ModelStateDictionary state, CancellationToken cancel)
    {
        Tools = Tools.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().ToList();
        if (Tools.Count == 0)
            return;
        var known = (await servers.Offered(Tools, cancel)).Select(t => t.Id).Concat(agent?.ToolList ?? []).Append(RoomNotes.RememberTool).ToHashSet();
        if (Tools.Any(t => !known.Contains(t)))
            state.AddModelError("Input.Tools", "Choose among the tools this site offers.");
        else if (string.Join('\n', Tools).Length > Agent.ToolsMaxLength)
            state.AddModelError("Input.Tools", "That is too many tools for one agent.");
    }

    /// <summary>The model must be one the site allows (<c>AI:Models</c>), or none for the site's default.</summary>
    public void CheckModel(AgentOptions ai, ModelStateDictionary state)
    {
        if (!ai.Allows(Model))
            state.AddModelError("Input.Model", "Choose one of the models this site offers.");
    }

    public static AgentInput From(Agent agent) => new()
    {
        Name = agent.Name, Handle = agent.Handle, Emoji = agent.Emoji, Prompt = agent.Prompt, Style = agent.Style, Model = agent.Model,
        DailyTokenLimit = agent.DailyTokenLimit, Shared = agent.Shared, Tools = agent.ToolList.ToList(),
    };

    public void ApplyTo(Agent agent)
    {
        agent.Name = Name.Trim();
        agent.Handle = Handle.Trim();
        agent.Emoji = string.IsNullOrWhiteSpace(Emoji) ? Agent.DefaultEmoji : Emoji.Trim();
        agent.Prompt = Prompt.Trim();
        agent.Style = Style;
        agent.Model = string.IsNullOrWhiteSpace(Model) ? null : Model.Trim();
        agent.DailyTokenLimit = DailyTokenLimit;
        agent.Shared = Shared;
        agent.Tools = Tools.Count == 0 ? null : string.Join('\n', Tools);
    }
}
