namespace AgentRooms.Web.Features.Messages;

/// <summary>The composer as shown: a draft kept across a refused send, and why it was refused.</summary>
public sealed record ComposerModel(int RoomId, string Content, Guid ClientMessageId, string? Error);

/// <summary>What the composer posts.</summary>
public class ComposerInput
{
    public string? Content { get; set; }
    public Guid ClientMessageId { get; set; }
}
