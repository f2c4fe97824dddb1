using AgentRooms.Data.Messages;
using AgentRooms.Web.Features.Reactions;

namespace AgentRooms.Web.Features.Messages;

/// <summary>
/// A message as every viewer sees it: no per-viewer data, so one rendering serves all. The sender's
/// <see cref="ClientMessageId"/> (random, meaningless to others) lets their page swap its echo for it;
/// on an agent's reply, <see cref="AskedById"/> (who mentioned the agent) lets their page offer Retry.
/// </summary>
public sealed record ShownMessage(
    long Id,
    int RoomId,
    long Seq,
    MessageKind Kind,
    string? AuthorUserId,
    string AuthorName,
    string? AgentEmoji,
    string BodyHtml,
    DateTime CreatedAt,
    bool Edited,
    bool Deleted,
    ReplyState? ReplyState,
    Guid? ClientMessageId = null,
    int? AuthorAgentId = null,
    string? AskedById = null,
    IReadOnlyList<ReactionShown>? Reactions = null)
{
    /// <summary>Who wrote it, for grouping consecutive messages and a stable avatar colour: a person's id, an agent's, or the system.</summary>
    public string SenderKey => AuthorUserId ?? (AuthorAgentId is { } agent ? $"agent-{agent}" : "system");
}
