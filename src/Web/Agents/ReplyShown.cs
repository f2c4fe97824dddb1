namespace AgentRooms.Web.Agents;

/// <summary>An agent reply in progress as every viewer sees it.</summary>
public sealed record ReplyShown(long ReplyId, int RoomId, string AgentName, string AgentEmoji, string BodyHtml);
