using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Export;

/// <summary>
/// A room as a zip to keep or to take elsewhere: <c>room.json</c> (the room, its members and agents, and
/// every message with its edits, deletion, quote, pin, reactions and files, in Seq order), a readable
/// <c>transcript.md</c>, and the files themselves under <c>files/</c>. Written to a temporary file that
/// goes away once sent; messages are read a page at a time, so a long room takes time, not memory.
/// </summary>
public sealed class RoomExport(AppDbContext db, IFileStore files)
{
    public const string Format = "agentrooms-room-export";
    public const int Version = 1;
    private const int Batch = 500;

    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public async Task<Stream> Write(Room room, CancellationToken cancel)
    {
        var zipFile = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var zip = new ZipArchive(zipFile, ZipArchiveMode.Create, leaveOpen: true))
            {
                var transcript = new StringBuilder($"# {room.Name}\n\n{(room.Description.Length > 0 ? room.Description + "\n\n" : "")}");
                var attached = new List<(Guid Key, string Path)>();
                await using (var json = zip.CreateEntry("room.json", CompressionLevel.Optimal).Open())
                await using (var writer = new Utf8JsonWriter(json, Indented))
                {
                    writer.WriteStartObject();
                    writer.WriteString("format", Format);
                    writer.WriteNumber("version", Version);
                    writer.WriteString("exportedAt", DateTime.UtcNow);
                    writer.WriteStartObject("room");
                    writer.WriteNumber("id", room.Id);
                    writer.WriteString("name", room.Name);
                    writer.WriteString("description", room.Description);
                    writer.WriteString("visibility", room.Visibility.ToString().ToLowerInvariant());
                    writer.WriteString("createdAt", room.CreatedAt);
                    writer.WriteEndObject();
                    await People(writer, room.Id, cancel);
                    writer.WriteStartArray("messages");
                    for (long after = 0; ;)
                    {
                        var page = await Page(room.Id, after, cancel);
                        foreach (var message in page)
                        {
                            Message(writer, message, attached);
                            Transcribe(transcript, message);
                        }
                        await writer.FlushAsync(cancel);
                        if (page.Count < Batch)
                            break;
                        after = page[^1].Seq;
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                await using (var markdown = new StreamWriter(zip.CreateEntry("transcript.md", CompressionLevel.Optimal).Open(), new UTF8Encoding(false)))
                    await markdown.WriteAsync(transcript, cancel);
                foreach (var (key, path) in attached)
                {
                    await using var source = files.Open(Names.Original(key));
                    if (source is null)
                        continue; // gone from the store: the message still names it
                    await using var entry = zip.CreateEntry(path, CompressionLevel.NoCompression).Open();
                    await source.CopyToAsync(entry, cancel);
                }
            }
            zipFile.Position = 0;
            return zipFile;
        }
        catch
        {
            await zipFile.DisposeAsync();
            throw;
        }
    }

    private sealed record Exported(long Id, long Seq, MessageKind Kind, string? Author, string? AuthorType, string Content, DateTime CreatedAt,
        DateTime? EditedAt, DateTime? DeletedAt, DateTime? PinnedAt, long? QuotedMessageId, List<(string Text, string Person)> Reactions,
        List<(Guid Key, string Name, string ContentType, long Size)> Files);

    private async Task<List<Exported>> Page(int roomId, long after, CancellationToken cancel)
    {
        var rows = await db.Messages.Where(m => m.RoomId == roomId && m.Seq > after).OrderBy(m => m.Seq).Take(Batch)
            .Select(m => new
            {
                m.Id, m.Seq, m.Kind, m.Content, m.CreatedAt, m.EditedAt, m.DeletedAt, m.PinnedAt, m.QuotedMessageId,
                Person = m.SenderUser != null ? m.SenderUser.DisplayName : null,
                Agent = m.SenderAgent != null ? m.SenderAgent.Name : null,
            }).AsNoTracking().ToListAsync(cancel);
        var ids = rows.Select(r => r.Id).ToList();
        var reactions = (await db.Reactions.Where(r => ids.Contains(r.MessageId)).OrderBy(r => r.CreatedAt)
                .Select(r => new { r.MessageId, r.Text, Person = r.User!.DisplayName }).ToListAsync(cancel))
            .ToLookup(r => r.MessageId, r => (r.Text, r.Person));
        var attachments = (await db.Attachments.Where(a => a.MessageId != null && ids.Contains(a.MessageId.Value)).OrderBy(a => a.Id)
                .Select(a => new { MessageId = a.MessageId!.Value, a.Key, a.FileName, a.ContentType, a.Size }).ToListAsync(cancel))
            .ToLookup(a => a.MessageId, a => (a.Key, a.FileName, a.ContentType, a.Size));
        return rows.Select(r => new Exported(r.Id, r.Seq, r.Kind, r.Person ?? r.Agent, r.Person is not null ? "person" : r.Agent is not null ? "agent" : null,
            r.Content, r.CreatedAt, r.EditedAt, r.DeletedAt, r.PinnedAt, r.QuotedMessageId,
            r.DeletedAt is null ? reactions[r.Id].ToList() : [], r.DeletedAt is null ? attachments[r.Id].ToList() : [])).ToList();
    }

    private async Task People(Utf8JsonWriter writer, int roomId, CancellationToken cancel)
    {
        writer.WriteStartArray("members");
        foreach (var member in await db.RoomMembers.Where(m => m.RoomId == roomId).OrderBy(m => m.JoinedAt)
                     .Select(m => new { m.User!.DisplayName, m.Role, m.JoinedAt }).ToListAsync(cancel))
        {
            writer.WriteStartObject();
            writer.WriteString("name", member.DisplayName);
            writer.WriteString("role", member.Role.ToString().ToLowerInvariant());
            writer.WriteString("joinedAt", member.JoinedAt);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("agents");
        foreach (var agent in await db.RoomAgents.Where(a => a.RoomId == roomId).Select(a => new { a.Agent!.Name, a.Handle, a.Agent.Emoji }).ToListAsync(cancel))
        {
            writer.WriteStartObject();
            writer.WriteString("name", agent.Name);
            writer.WriteString("handle", agent.Handle);
            writer.WriteString("emoji", agent.Emoji);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void Message(Utf8JsonWriter writer, Exported message, List<(Guid Key, string Path)> attached)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", message.Id);
        writer.WriteNumber("seq", message.Seq);
        writer.WriteString("kind", message.Kind.ToString().ToLowerInvariant());
        if (message.Author is not null)
        {
            writer.WriteStartObject("author");
            writer.WriteString("type", message.AuthorType);
            writer.WriteString("name", message.Author);
            writer.WriteEndObject();
        }
        writer.WriteString("createdAt", message.CreatedAt);
        if (message.EditedAt is { } edited)
            writer.WriteString("editedAt", edited);
        if (message.DeletedAt is { } deleted)
            writer.WriteString("deletedAt", deleted);
        else
            writer.WriteString("content", message.Content);
        if (message.QuotedMessageId is { } quoted)
            writer.WriteNumber("quotes", quoted);
        if (message.PinnedAt is { } pinned && message.DeletedAt is null)
            writer.WriteString("pinnedAt", pinned);
        if (message.Reactions.Count > 0)
        {
            writer.WriteStartArray("reactions");
            foreach (var group in message.Reactions.GroupBy(r => r.Text))
            {
                writer.WriteStartObject();
                writer.WriteString("text", group.Key);
                writer.WriteStartArray("people");
                foreach (var (_, person) in group)
                    writer.WriteStringValue(person);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (message.Files.Count > 0)
        {
            writer.WriteStartArray("files");
            foreach (var file in message.Files)
            {
                var path = FilePath(file.Key, file.Name);
                attached.Add((file.Key, path));
                writer.WriteStartObject();
                writer.WriteString("name", file.Name);
                writer.WriteString("contentType", file.ContentType);
                writer.WriteNumber("size", file.Size);
                writer.WriteString("path", path);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void Transcribe(StringBuilder transcript, Exported message)
    {
        var when = message.CreatedAt.ToString("yyyy-MM-dd HH:mm");
        if (message.Kind == MessageKind.System)
        {
            transcript.Append($"*{when} UTC · {message.Author} {SystemLine(message.Content)}*\n\n");
            return;
        }
        transcript.Append($"**{message.Author ?? "AgentRooms"}** · {when} UTC{(message.EditedAt is not null && message.DeletedAt is null ? " · edited" : "")}\n\n");
        transcript.Append(message.DeletedAt is not null ? "*This message was deleted.*" : message.Content).Append("\n\n");
        foreach (var file in message.Files)
            transcript.Append($"📎 [{file.Name}]({FilePath(file.Key, file.Name)})\n\n");
        if (message.Reactions.Count > 0)
            transcript.Append(string.Join(" · ", message.Reactions.GroupBy(r => r.Text).Select(g => $"{g.Key} {g.Count()}"))).Append("\n\n");
    }

    private static string SystemLine(string content) => SystemLines.Text(content) ?? content;

    /// <summary>A file's place in the zip: its key (unique) and its name made safe for any file system.</summary>
    private static string FilePath(Guid key, string name) =>
        $"files/{key:N}-{new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray())}";
}
