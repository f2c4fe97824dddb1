using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Pages.Reactions;

namespace AgentRooms.Web.Pages.Messages;

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
    IReadOnlyList<ReactionShown>? Reactions = null,
    QuoteShown? Quote = null,
    IReadOnlyList<AttachmentShown>? Files = null,
    ReplyUsage? Usage = null,
    IReadOnlyList<ToolStep>? Steps = null,
    string? Unseen = null,
    AnswersShown? Answers = null,
    ContextUsed? Context = null,
    bool Pinned = false,
    bool Integration = false)
{
    /// <summary>Who wrote it, for grouping consecutive messages and a stable avatar colour: a person's id, an agent's, or the system.</summary>
    public string SenderKey => AuthorUserId ?? (AuthorAgentId is { } agent ? $"agent-{agent}" : "system");
}

/// <summary>An agent's reply answered again: which of its answers is shown ("1 / 2"), the newest unless asked.</summary>
public sealed record AnswersShown(int Number, int Count);

/// <summary>What an agent's reply cost: tokens in and out, and the model (the same for every viewer).</summary>
public sealed record ReplyUsage(int Input, int Output, string? Model, bool Estimated)
{
    public string Short => $"{(Input + Output).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} tokens";

    public string Detail =>
        $"{Input.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} tokens in, {Output.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} out"
        + (Model is null ? "" : $" · {Model}") + (Estimated ? " · counted here (the model reported none)" : "");
}

/// <summary>
/// The message a reply quotes, as it now stands: who wrote it and the start of its first line (plain
/// text, shown escaped), or that it was deleted.
/// </summary>
public sealed record QuoteShown(long MessageId, int RoomId, string AuthorName, string Excerpt, bool Deleted)
{
    public const int ExcerptLength = 140;

    /// <summary>The first line with words in it, cut at <see cref="ExcerptLength"/>.</summary>
    public static string ExcerptOf(string content)
    {
        var line = content.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length <= ExcerptLength ? line : line[..ExcerptLength].TrimEnd() + "…";
    }
}
