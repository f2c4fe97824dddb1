using AgentRooms.Web.Pages.Messages;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>An agent reply in progress as every viewer sees it; its text streams in as plain text, appended piece by piece.</summary>
/// <see cref="AskedById"/> is the person whose message set it off: they (and the room's owners and admins) may stop it.
/// <see cref="SoFar"/> is what it had said when a page was rendered mid-stream (pushes carry only what is added),
/// <see cref="Steps"/> the tools it had called.
public sealed record ReplyShown(long ReplyId, int RoomId, string AgentName, string AgentEmoji, string? AskedById, string? SoFar = null,
    IReadOnlyList<ToolStep>? Steps = null);
