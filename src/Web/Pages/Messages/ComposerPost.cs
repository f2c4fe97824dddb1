using System.Text;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>The composer's post as read: what was typed, the files that came with it, or why it could not be read.</summary>
public sealed record ComposerRead(ComposerInput Input, string? Error = null, int Status = StatusCodes.Status200OK);

/// <summary>
/// Reads the composer's form post. Url-encoded (the script's fallback) it is read as any form. As
/// multipart (the form without JavaScript, which may carry files) it is read as it streams: each file
/// goes straight into <see cref="Uploads"/>, counted against the limits as it comes, never buffered
/// whole. The antiforgery token, the form's first field, is checked before any file is read.
/// </summary>
public sealed class ComposerPost(IAntiforgery antiforgery, IOptions<AntiforgeryOptions> antiforgeryOptions, Uploads uploads, MessageFiles files)
{
    private const int FieldMaxBytes = 64 * 1024;
    private const string FileField = "Composer.Files";

    /// <summary>Null when the antiforgery token is missing or wrong (the caller answers 400, as for any form).</summary>
    public async Task<ComposerRead?> Read(HttpContext http, int roomId, string userId)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return null;
            return new ComposerRead(Bind(request.HasFormContentType ? await request.ReadFormAsync(http.RequestAborted) : null));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = null; // each file is counted by Uploads; the fields here
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return null;
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, List<string>>();
        var keys = new List<Guid>();
        var checkedToken = false;
        string? error = null;
        var status = StatusCodes.Status200OK;
        while (error is null && await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (!checkedToken)
                    return null;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                // A file input left empty still sends a part, with no name and nothing in it.
                if (name != FileField || string.IsNullOrEmpty(fileName))
                    continue;
                if (keys.Count >= files.MaxPerMessage)
                {
                    (error, status) = ($"A message can carry at most {files.MaxPerMessage} files.", StatusCodes.Status422UnprocessableEntity);
                    break;
                }
                var upload = await uploads.Receive(roomId, userId, fileName, section.Body, null, http.RequestAborted);
                if (upload.Attachment is { } attachment)
                    keys.Add(attachment.Key);
                else
                    (error, status) = (upload.Error, upload.Status);
                continue;
            }
            if (await BoundedRead.AtMost(section.Body, FieldMaxBytes, http.RequestAborted) is not { } bytes)
                return new ComposerRead(Bind(fields, keys), "That form was too large to read.", StatusCodes.Status413PayloadTooLarge);
            var value = Encoding.UTF8.GetString(bytes);
            if (name == antiforgeryOptions.Value.FormFieldName && !checkedToken)
            {
                // Checked as the script's posts are: from the header, so the rest of the body stays unread.
                request.Headers[antiforgeryOptions.Value.HeaderName!] = value;
                if (!await antiforgery.IsRequestValidAsync(http))
                    return null;
                checkedToken = true;
                continue;
            }
            (fields.TryGetValue(name, out var values) ? values : fields[name] = []).Add(value);
        }
        if (!checkedToken)
            return null;
        return new ComposerRead(Bind(fields, keys), error, status);
    }

    private static ComposerInput Bind(IFormCollection? form) =>
        Bind(form?.ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? "").ToList()) ?? [], []);

    private static ComposerInput Bind(Dictionary<string, List<string>> fields, List<Guid> uploaded)
    {
        string? One(string name) => fields.TryGetValue(name, out var values) ? values.LastOrDefault() : null;
        var input = new ComposerInput
        {
            Content = One("Composer.Content"),
            ClientMessageId = Guid.TryParse(One("Composer.ClientMessageId"), out var id) ? id : Guid.Empty,
            QuotedMessageId = long.TryParse(One("Composer.QuotedMessageId"), out var quoted) ? quoted : null,
            Privately = One("Composer.Privately") == "true",
        };
        // Files uploaded before (a refused send's), then those that came with this post.
        foreach (var key in fields.GetValueOrDefault(FileField) ?? [])
            if (Guid.TryParse(key, out var earlier))
                input.Files.Add(earlier);
        input.Files.AddRange(uploaded);
        return input;
    }
}

/// <summary>
/// Keeps model binding away from the form, which it would otherwise read whole (every file with it)
/// before the handler runs: the handler reads it itself, as it streams (<see cref="ComposerPost"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StreamedFormAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var factories = context.ValueProviderFactories;
        factories.RemoveType<FormValueProviderFactory>();
        factories.RemoveType<FormFileValueProviderFactory>();
        factories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
