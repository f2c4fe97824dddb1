using AgentRooms.Data.Accounts;

namespace AgentRooms.Data.Messages;

public enum PersonMentionKind
{
    /// <summary><c>@their-name</c> in the text.</summary>
    Mention = 0,

    /// <summary>The message quotes one of theirs (a reply).</summary>
    Quote = 1,
}

/// <summary>
/// A message that names a person (or quotes them), saved with it: their Mentions page lists these,
/// and their rooms list marks a room whose unread messages have one. Room and Seq are copied from
/// the message so both are answered from an index.
/// </summary>
public class PersonMention
{
    public long MessageId { get; set; }
    public Message? Message { get; set; }
    public string UserId { get; set; } = "";
    public User? User { get; set; }
    public int RoomId { get; set; }
    public long Seq { get; set; }
    public PersonMentionKind Kind { get; set; }
}
