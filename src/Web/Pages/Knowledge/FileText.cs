using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Attachments;
using AgentRooms.Web.Pages.Attachments;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace AgentRooms.Web.Pages.Knowledge;

/// <summary>
/// Reads the text of a room's shared files once, so agents can search and read them by page: a PDF's
/// pages (PdfPig), a text file (plain text, Markdown, CSV…) in pages of <see cref="Attachment.TextPageLength"/>
/// characters. Each page is kept as <see cref="FilePassage"/>s of at most <see cref="FilePassage.MaxLength"/>,
/// indexed for full-text search. A file that is neither, or cannot be read, has no pages; it is not tried again.
/// </summary>
public sealed class FileText(AppDbContext db, IFileStore store, ILogger<FileText> logger)
{
    /// <summary>Larger files are not read (their text would not be worth what reading costs).</summary>
    public const long MaxBytes = 25 * 1024 * 1024;

    public const int MaxPages = 1000;

    /// <summary>Reads every sent file of <paramref name="roomId"/> (every room when null) still unread, up to <paramref name="limit"/>; returns how many.</summary>
    public async Task<int> ReadPending(int? roomId, int limit, CancellationToken cancel)
    {
        var pending = db.Attachments.Where(a => a.TextReadAt == null && a.MessageId != null);
        if (roomId is { } room)
            pending = pending.Where(a => a.RoomId == room);
        var files = await pending.OrderBy(a => a.Id).Select(a => new { a.Id, a.RoomId, a.Key, a.ContentType, a.Size }).Take(limit).AsNoTracking().ToListAsync(cancel);
        foreach (var file in files)
        {
            var pages = file.Size <= MaxBytes ? await Pages(file.Key, FileKind.FromContentType(file.ContentType), cancel) : [];
            await Keep(file.Id, file.RoomId, pages, cancel);
        }
        return files.Count;
    }

    /// <summary>
    /// Saves the pages, unless another node read the file first: the file is marked read in the same
    /// transaction, only if it was not (a file read twice is saved once).
    /// </summary>
    private async Task Keep(long attachmentId, int roomId, IReadOnlyList<string> pages, CancellationToken cancel)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancel);
        var claimed = await db.Attachments.Where(a => a.Id == attachmentId && a.TextReadAt == null)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.TextReadAt, DateTime.UtcNow).SetProperty(x => x.TextPages, pages.Count), cancel);
        if (claimed == 0)
            return;
        for (var page = 0; page < pages.Count; page++)
            foreach (var piece in Pieces(pages[page]))
                db.FilePassages.Add(new FilePassage { AttachmentId = attachmentId, RoomId = roomId, Page = page + 1, Text = piece });
        await db.SaveChangesAsync(cancel);
        await transaction.CommitAsync(cancel);
        db.ChangeTracker.Clear();
    }

    /// <summary>A file's text, page by page; none for a file without text or one that cannot be read.</summary>
    private async Task<IReadOnlyList<string>> Pages(Guid key, FileKind kind, CancellationToken cancel)
    {
        if (kind != FileKind.Text && kind.ContentType != "application/pdf")
            return [];
        await using var stream = store.Open(Names.Original(key));
        if (stream is null)
            return [];
        try
        {
            if (kind == FileKind.Text)
            {
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var text = await reader.ReadToEndAsync(cancel);
                return Enumerable.Range(0, Math.Min(MaxPages, (text.Length + Attachment.TextPageLength - 1) / Attachment.TextPageLength))
                    .Select(i => text.Substring(i * Attachment.TextPageLength, Math.Min(Attachment.TextPageLength, text.Length - i * Attachment.TextPageLength)))
                    .ToList();
            }
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancel);
            copy.Position = 0;
            using var pdf = PdfDocument.Open(copy, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            return pdf.GetPages().Take(MaxPages).Select(page => ContentOrderTextExtractor.GetText(page).Trim()).ToList();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A damaged or hostile file: it has no text to offer, and that is all.
            logger.LogInformation(error, "The text of file {Key} could not be read", key);
            return [];
        }
    }

    /// <summary>A page cut into passages at line ends where it can be.</summary>
    private static IEnumerable<string> Pieces(string page)
    {
        var rest = page.AsMemory();
        while (rest.Length > 0)
        {
            var take = Math.Min(FilePassage.MaxLength, rest.Length);
            if (take < rest.Length && rest.Span[..take].LastIndexOf('\n') is var end and > FilePassage.MaxLength / 2)
                take = end + 1;
            var piece = rest[..take].ToString().Trim();
            if (piece.Length > 0)
                yield return piece;
            rest = rest[take..];
        }
    }
}
