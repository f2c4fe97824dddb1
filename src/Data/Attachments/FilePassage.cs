namespace AgentRooms.Data.Attachments;

/// <summary>
/// A piece of a shared file's text (a PDF page, or a stretch of a text file), extracted once in the
/// background so agents can search and read a room's files. Indexed for full-text search with its room.
/// </summary>
public class FilePassage
{
    /// <summary>At most this much text in one passage; a longer page is split.</summary>
    public const int MaxLength = 2000;

    public long Id { get; set; }
    public long AttachmentId { get; set; }
    public int RoomId { get; set; }

    /// <summary>The page it is on, from 1 (a text file's pages are stretches of <see cref="Attachment.TextPageLength"/> characters).</summary>
    public int Page { get; set; }

    public string Text { get; set; } = "";
}
