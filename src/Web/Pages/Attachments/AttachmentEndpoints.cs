using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>
/// <c>POST /rooms/{id}/attachments?name=</c>: the composer's script uploads one file as the request's
/// body (so it streams, with progress and cancel) and gets it back as JSON to send with a message.
/// <c>GET /files/{key}</c> and <c>/files/{key}/thumbnail</c>: a file, to whoever may read its room now.
/// </summary>
public static class AttachmentEndpoints
{
    /// <summary>
    /// What a file response may do, whatever it holds: nothing. No script, no styles, no frames, and a
    /// sandbox of its own, so even a file a browser decided to render could not act as the site.
    /// </summary>
    private const string FilePolicy = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'";

    public static void MapAttachments(this WebApplication app)
    {
        app.MapPost("/rooms/{roomId:int}/attachments", Receive);
        app.MapGet("/files/{key:guid}", (Guid key, HttpContext http, AppDbContext db, IFileStore store) => Serve(key, thumbnail: false, http, db, store));
        app.MapGet("/files/{key:guid}/thumbnail", (Guid key, HttpContext http, AppDbContext db, IFileStore store) => Serve(key, thumbnail: true, http, db, store));
    }

    private static async Task<IResult> Receive(int roomId, string? name, HttpContext http, Uploads uploads, IAntiforgery antiforgery)
    {
        // The token comes in a header: the body is the file, never read as a form.
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.Json(new UploadError("Reload the page and try again."), statusCode: StatusCodes.Status400BadRequest);
        // The upload's own count is the limit (Attachments:MaxBytes), not the server's default.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = null;
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var upload = await uploads.Receive(roomId, userId, name, http.Request.Body, http.Request.ContentLength, http.RequestAborted);
        if (upload.Attachment is not { } file)
            return Results.Json(new UploadError(upload.Error!), statusCode: upload.Status);
        return Results.Json(new Uploaded(file.Key.ToString("N"), file.FileName, file.Size, FileKind.FromContentType(file.ContentType).Description,
            file.Width is not null), statusCode: StatusCodes.Status201Created);
    }

    private sealed record Uploaded(string Key, string Name, long Size, string Kind, bool Image);

    private sealed record UploadError(string Error);

    /// <summary>
    /// Only to a member of the room now (or, before it is sent, its uploader), and only while its
    /// message stands; anyone else gets the same 404 as for a key that never was.
    /// </summary>
    private static async Task<IResult> Serve(Guid key, bool thumbnail, HttpContext http, AppDbContext db, IFileStore store)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var file = await db.Attachments.Where(a => a.Key == key)
            .Where(a => a.MessageId == null
                ? a.UploaderId == userId
                : a.Message!.DeletedAt == null && db.RoomMembers.Any(m => m.RoomId == a.RoomId && m.UserId == userId))
            .Select(a => new { a.FileName, a.ContentType, a.CreatedAt, a.Width })
            .AsNoTracking().FirstOrDefaultAsync(http.RequestAborted);
        if (file is null || (thumbnail && file.Width is null))
            return Results.NotFound();
        var content = store.Open(thumbnail ? Names.Thumbnail(key) : Names.Original(key));
        if (content is null)
            return Results.NotFound();

        var kind = FileKind.FromContentType(file.ContentType);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = FilePolicy;
        headers.XContentTypeOptions = "nosniff";
        // The bytes never change, but who may read them can: the browser asks each time (a 304 when still allowed).
        headers.CacheControl = "private, no-cache";
        if (!thumbnail)
            headers.ContentDisposition = new ContentDispositionHeaderValue(kind.ServedInline ? "inline" : "attachment") { FileNameStar = file.FileName }.ToString();
        var contentType = thumbnail ? "image/webp" : kind == FileKind.Text ? "text/plain; charset=utf-8" : kind.ContentType;
        return Results.Stream(content, contentType, lastModified: file.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{key:N}{(thumbnail ? "t" : "")}\""), enableRangeProcessing: true);
    }
}
