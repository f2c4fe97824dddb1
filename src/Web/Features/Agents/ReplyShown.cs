namespace AgentRooms.Web.Features.Agents;

/// <summary>An agent reply in progress as every viewer sees it; its text streams in as plain text, appended piece by piece.</summary>
public sealed record ReplyShown(long ReplyId, int RoomId, string AgentName, string AgentEmoji);
