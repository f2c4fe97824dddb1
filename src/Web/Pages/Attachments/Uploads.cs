using AgentRooms.Data;
using AgentRooms.Data.Attachments;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>What became of an upload: the pending attachment, or why there is none (with the status that says so).</summary>
public sealed record Upload(Attachment? Attachment, string? Error, int Status)
{
    public static Upload Refused(string error, int status) => new(null, error, status);
}

/// <summary>
/// Receives one file for a room: streamed to a work file and counted as it comes, so a file past the
/// size limit or the day's quota is refused the moment it passes it and nothing of it is kept. Then
/// its kind is read from its bytes; an image is stripped of metadata and given a thumbnail. The result
/// waits, pending, until its uploader sends it with a message.
/// </summary>
public sealed class Uploads(AppDbContext db, IFileStore store, IOptions<AttachmentOptions> options, DecodeBudget budget, RequestLimits limits, ILogger<Uploads> logger)
{
    private AttachmentOptions Settings => options.Value;

    public async Task<Upload> Receive(int roomId, string userId, string? fileName, Stream body, long? declaredLength, CancellationToken cancel)
    {
        if (!await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, cancel))
            return Upload.Refused("You are not a member of this room.", StatusCodes.Status404NotFound);
        var name = FileNames.Clean(fileName);
        if (!limits.Allow(Limit.Upload, userId))
            return Upload.Refused(RequestLimits.TryLater, StatusCodes.Status429TooManyRequests);

        var since = DateTime.UtcNow.AddDays(-1);
        var used = await db.Attachments.Where(a => a.UploaderId == userId && a.CreatedAt > since).SumAsync(a => (long?)a.Size, cancel) ?? 0;
        var left = Settings.DailyBytesPerPerson - used;
        var allowed = Math.Min(Settings.MaxBytes, left);
        string TooLarge() => allowed < Settings.MaxBytes
            ? $"{name} would take you past what you may upload in a day ({FileKind.SizeText(Settings.DailyBytesPerPerson)}); {FileKind.SizeText(Math.Max(0, left))} is left."
            : $"{name} is larger than {FileKind.SizeText(Settings.MaxBytes)}, the most a file may be.";
        if (declaredLength > allowed)
            return Upload.Refused(TooLarge(), StatusCodes.Status413PayloadTooLarge);

        var work = new List<string>();
        string NewFile()
        {
            var path = store.NewWorkFile();
            work.Add(path);
            return path;
        }
        try
        {
            var received = NewFile();
            var (length, head) = await Copy(body, received, allowed, cancel);
            if (length > allowed)
                return Upload.Refused(TooLarge(), StatusCodes.Status413PayloadTooLarge);
            if (length == 0)
                return Upload.Refused($"{name} is empty.", StatusCodes.Status422UnprocessableEntity);

            var kind = FileKind.Of(head);
            var attachment = new Attachment { RoomId = roomId, UploaderId = userId, FileName = name, ContentType = kind.ContentType, Size = length };
            var served = received;
            string? thumbnail = null;
            if (kind.IsImage)
            {
                PreparedImage? image;
                try
                {
                    image = await Images.Prepare(received, kind, Settings.MaxImagePixels, budget, NewFile, cancel);
                }
                catch (ImageTooLarge)
                {
                    return Upload.Refused($"{name} has too many pixels (at most {Settings.MaxImagePixels / 1_000_000} million).", StatusCodes.Status422UnprocessableEntity);
                }
                if (image is null)
                {
                    // Says it is an image and is not one: a plain file, downloaded, never shown.
                    attachment.ContentType = FileKind.Binary.ContentType;
                }
                else
                {
                    (served, thumbnail) = (image.ServedFile, image.ThumbnailFile);
                    (attachment.Width, attachment.Height) = (image.Width, image.Height);
                    attachment.Size = new FileInfo(served).Length;
                }
            }

            // The day's quota is checked again and the file counted in one step per person (every node),
            // so uploads sent at once cannot each see room for themselves and together pass it.
            await using var oneAtATime = await NamedLock.Take(db, $"agentrooms-uploads-{userId}", cancel: cancel);
            used = await db.Attachments.Where(a => a.UploaderId == userId && a.CreatedAt > since).SumAsync(a => (long?)a.Size, cancel) ?? 0;
            if (used + attachment.Size > Settings.DailyBytesPerPerson)
            {
                (left, allowed) = (Settings.DailyBytesPerPerson - used, 0);
                return Upload.Refused(TooLarge(), StatusCodes.Status413PayloadTooLarge);
            }
            // The files first: a saved attachment always has its bytes.
            await store.Put(Names.Original(attachment.Key), served, cancel);
            if (thumbnail is not null)
                await store.Put(Names.Thumbnail(attachment.Key), thumbnail, cancel);
            db.Attachments.Add(attachment);
            try
            {
                await db.SaveChangesAsync(cancel);
            }
            catch
            {
                store.Delete(Names.Original(attachment.Key));
                store.Delete(Names.Thumbnail(attachment.Key));
                throw;
            }
            return new Upload(attachment, null, StatusCodes.Status201Created);
        }
        finally
        {
            foreach (var path in work)
                TryDelete(path);
        }
    }

    /// <summary>
    /// Copies until the end or until one byte past <paramref name="allowed"/>, whichever is first;
    /// returns how much came (at most allowed + 1) and the first <see cref="FileKind.SniffLength"/> bytes.
    /// </summary>
    private static async Task<(long Length, byte[] Head)> Copy(Stream body, string path, long allowed, CancellationToken cancel)
    {
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        var buffer = new byte[64 * 1024];
        var head = new MemoryStream();
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancel)) > 0)
        {
            if (head.Length < FileKind.SniffLength)
                head.Write(buffer, 0, (int)Math.Min(read, FileKind.SniffLength - head.Length));
            length += read;
            if (length > allowed)
                return (length, []);
            await output.WriteAsync(buffer.AsMemory(0, read), cancel);
        }
        return (length, head.ToArray());
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "A work file was left behind: {Path}", path);
        }
    }
}
