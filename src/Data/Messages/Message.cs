using AgentRooms.Data.Accounts;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Rooms;

namespace AgentRooms.Data.Messages;

public enum MessageKind
{
    User = 0,
    Agent = 1,
    System = 2,
}

public enum ReplyState
{
    Streaming = 0,
    Done = 1,
    Failed = 2,
    Stopped = 3,

    /// <summary>The model stopped early (no finish reason, or its length limit).</summary>
    Truncated = 4,
}

public class Message
{
    /// <summary>What a person may write in one message. Agents' replies have a cap of their own (Agents:MaxReplyCharacters).</summary>
    public const int ContentMaxLength = 4000;

    public long Id { get; set; }
    public int RoomId { get; set; }
    public Room? Room { get; set; }

    /// <summary>Position in the room: unique, gap-free, assigned in the saving transaction.</summary>
    public long Seq { get; set; }

    public MessageKind Kind { get; set; }
    public string? SenderUserId { get; set; }
    public User? SenderUser { get; set; }
    public int? SenderAgentId { get; set; }
    public Agent? SenderAgent { get; set; }
    public string Content { get; set; } = "";

    /// <summary>
    /// The content as safe HTML, rendered once when it is saved or edited; pages, catch-up and pushes
    /// read this. Null only for rows saved before it was stored, until a background backfill reaches them.
    /// </summary>
    public string? ContentHtml { get; set; }

    /// <summary>Chosen by the composer so a repeated send returns the original message.</summary>
    public Guid? ClientMessageId { get; set; }

    /// <summary>
    /// To the microsecond, as MariaDB keeps it: a message rendered from the object just saved reads
    /// the same as when it is read back.
    /// </summary>
    public DateTime CreatedAt { get; set; } = ToMicroseconds(DateTime.UtcNow);

    public DateTime? EditedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    /// <summary>Pinned by the room's owners or admins: listed in the room's details, and given to its agents as standing context.</summary>
    public DateTime? PinnedAt { get; set; }

    public string? PinnedById { get; set; }

    /// <summary>
    /// The message this one replies to (quotes), in the same room. No foreign key: a quote outlives
    /// nothing (messages are only ever removed with their room) and shows its original as it now stands.
    /// </summary>
    public long? QuotedMessageId { get; set; }

    /// <summary>Only for agent messages.</summary>
    public ReplyState? ReplyState { get; set; }

    public List<MessageMention> Mentions { get; set; } = [];

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>Only the author edits, and only while the message stands.</summary>
    public bool CanBeEditedBy(string userId) => Kind == MessageKind.User && SenderUserId == userId && !IsDeleted;

    /// <summary>The author, or whoever runs the room, deletes; a line about the room itself ("Ada joined") stays.</summary>
    public bool CanBeDeletedBy(string userId, RoomMember? member) =>
        !IsDeleted && Kind != MessageKind.System && member is not null && (SenderUserId == userId || member.CanModerate);

    public void Edit(string content, string contentHtml)
    {
        Content = content;
        ContentHtml = contentHtml;
        EditedAt = DateTime.UtcNow;
    }

    /// <summary>The row stays so the room's Seq stays gap-free; its text goes.</summary>
    public void Delete()
    {
        Content = "";
        ContentHtml = "";
        DeletedAt = DateTime.UtcNow;
    }

    private static DateTime ToMicroseconds(DateTime time) => new(time.Ticks - time.Ticks % 10, time.Kind);
}
