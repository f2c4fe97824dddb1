namespace AgentRooms.Web.Features.Agents;

/// <summary>An agent reply in progress as every viewer sees it; its text streams in as plain text, appended piece by piece.</summary>
/// <see cref="AskedById"/> is the person whose message set it off: they (and the room's owners and admins) may stop it.
public sealed record ReplyShown(long ReplyId, int RoomId, string AgentName, string AgentEmoji, string? AskedById);
