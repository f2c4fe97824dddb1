namespace AgentRooms.Data.Messages;

/// <summary>
/// An agent's answer that Regenerate replaced: the message shows the newest, and its earlier ones stay
/// readable ("1 / 2") rather than lost. Numbered from 1 in the order they were given.
/// </summary>
public class EarlierAnswer
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public int Number { get; set; }
    public string Content { get; set; } = "";
    public string ContentHtml { get; set; } = "";

    /// <summary>When a new answer took its place.</summary>
    public DateTime ReplacedAt { get; set; }
}
