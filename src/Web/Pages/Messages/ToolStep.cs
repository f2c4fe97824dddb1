using System.Text.Json;
using AgentRooms.Data.Agents;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// One tool call of an agent's reply as the room sees it: which tool (<c>server/tool</c>), the arguments
/// the model gave, and the start of what came back (null while it runs). All of it is untrusted text,
/// shown escaped and never read for mentions. A tool that needs approval carries its <see cref="StepApproval"/>:
/// while it waits, the person who asked is shown "Allow once" and "Deny".
/// </summary>
public sealed record ToolStep(string Tool, string Arguments, string? Result, bool Failed = false, StepApproval? Approval = null)
{
    public bool Waiting => Approval is { Decision: ApprovalDecision.Waiting };

    public const int ShownLength = 600;

    public static string Short(string text) => text.Length <= ShownLength ? text : text[..ShownLength] + "…";

    public static string? Write(IReadOnlyList<ToolStep> steps) => steps.Count == 0 ? null : JsonSerializer.Serialize(steps);

    public static IReadOnlyList<ToolStep> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return [];
        try
        {
            return JsonSerializer.Deserialize<List<ToolStep>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>A step's approval: which, the only person who may decide it, and how it stands.</summary>
public sealed record StepApproval(long Id, string AskerId, ApprovalDecision Decision);
