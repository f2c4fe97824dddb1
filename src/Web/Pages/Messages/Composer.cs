using AgentRooms.Web.Pages.Attachments;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>The composer as shown: a draft kept across a refused send, and why it was refused.</summary>
public sealed record ComposerModel(int RoomId, string Content, Guid ClientMessageId, string? Error, QuoteShown? Quote = null,
    IReadOnlyList<PendingFile>? Files = null)
{
    /// <summary>The most one file may be (the script refuses larger ones before uploading them).</summary>
    public long MaxFileBytes { get; init; }

    /// <summary>The room has agents: the composer offers "Ask privately".</summary>
    public bool AgentsHere { get; init; }
}

/// <summary>What the composer posts.</summary>
public class ComposerInput
{
    public string? Content { get; set; }
    public Guid ClientMessageId { get; set; }

    /// <summary>The message this one replies to, if any.</summary>
    public long? QuotedMessageId { get; set; }

    /// <summary>Files uploaded for this message (their keys), to send with it.</summary>
    public List<Guid> Files { get; set; } = [];

    /// <summary>"Ask privately" was ticked: this is a question for one agent, answered to the sender alone (Pages/Private).</summary>
    public bool Privately { get; set; }
}
