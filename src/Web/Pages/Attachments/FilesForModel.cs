using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>A file of a message as an agent's model is given it: an image's pixels, a text file's words, or only what it is.</summary>
public sealed record ModelFile(string Name, string Description, byte[]? Jpeg = null, string? Text = null);

/// <summary>Reads a message's files for an agent that was asked about them.</summary>
public sealed class FilesForModel(AppDbContext db, IFileStore store, DecodeBudget budget, Microsoft.Extensions.Options.IOptions<AttachmentOptions> options)
{
    /// <param name="images">Whether the model sees images; if not, images are only named.</param>
    public async Task<List<ModelFile>> Of(long messageId, bool images, int maxImages, int imageSide, int maxTextBytes, CancellationToken cancel)
    {
        var files = await db.Attachments.Where(a => a.MessageId == messageId).OrderBy(a => a.Id)
            .Select(a => new { a.Key, a.FileName, a.ContentType, a.Size, a.Width }).AsNoTracking().ToListAsync(cancel);
        var result = new List<ModelFile>();
        var imagesGiven = 0;
        foreach (var file in files)
        {
            var kind = FileKind.FromContentType(file.ContentType);
            ModelFile shown = new(file.FileName, kind.Description);
            if (file.Width is not null && images && imagesGiven < maxImages && store.Open(Names.Original(file.Key)) is { } image)
            {
                await using (image)
                {
                    if (await Images.Scaled(image, imageSide, options.Value.MaxImagePixels, budget, cancel) is { } jpeg)
                    {
                        shown = shown with { Jpeg = jpeg };
                        imagesGiven++;
                    }
                }
            }
            else if (kind == FileKind.Text && file.Size <= maxTextBytes && store.Open(Names.Original(file.Key)) is { } text)
            {
                using var reader = new StreamReader(text);
                shown = shown with { Text = await reader.ReadToEndAsync(cancel) };
            }
            result.Add(shown);
        }
        return result;
    }
}
