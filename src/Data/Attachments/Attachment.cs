using AgentRooms.Data.Accounts;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;

namespace AgentRooms.Data.Attachments;

/// <summary>
/// A file a person shared in a room. Uploaded first (pending, <see cref="MessageId"/> null, seen only by
/// its uploader), then given to the message it was sent with. Its bytes live in the file store under
/// <see cref="Key"/>, never under a name anyone typed.
/// </summary>
public class Attachment
{
    public const int FileNameMaxLength = 200;
    public const int ContentTypeMaxLength = 100;

    public long Id { get; set; }

    /// <summary>Random and unguessable: names the stored file and appears in its address.</summary>
    public Guid Key { get; set; } = Guid.NewGuid();

    public int RoomId { get; set; }
    public Room? Room { get; set; }
    public string UploaderId { get; set; } = "";
    public User? Uploader { get; set; }

    /// <summary>The message it was sent with; null while it waits in someone's composer.</summary>
    public long? MessageId { get; set; }
    public Message? Message { get; set; }

    /// <summary>The name it was uploaded with, cleaned (no folders, no control characters); shown and offered on download only.</summary>
    public string FileName { get; set; } = "";

    /// <summary>Decided from the bytes, never from the name.</summary>
    public string ContentType { get; set; } = "";

    /// <summary>Bytes as served (an image's metadata stripped).</summary>
    public long Size { get; set; }

    /// <summary>For images shown in the conversation (they have a thumbnail); null for other files.</summary>
    public int? Width { get; set; }

    public int? Height { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public bool IsImage => Width is not null;

    /// <summary>A text file's "page", for reading and citing it by page as a PDF is.</summary>
    public const int TextPageLength = 3000;

    /// <summary>When its text was extracted into <see cref="FilePassage"/>s (none for a file without text); null until then.</summary>
    public DateTime? TextReadAt { get; set; }

    /// <summary>How many pages its text has (0: none, or it could not be read).</summary>
    public int TextPages { get; set; }
}
