using SkiaSharp;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>An image made ready to serve: its metadata gone, turned upright, and a thumbnail beside it.</summary>
public sealed record PreparedImage(string ServedFile, string ThumbnailFile, int Width, int Height);

/// <summary>The uploaded image is bigger than <see cref="AttachmentOptions.MaxImagePixels"/>.</summary>
public sealed class ImageTooLarge : Exception;

/// <summary>
/// Images through SkiaSharp. What is served is encoded again from the pixels, so nothing of the
/// upload's metadata (EXIF with its GPS position, XMP, comments) survives, and a photo taken sideways
/// is turned as its camera said. GIFs keep their frames, to keep them moving, and lose every block
/// that is not a picture (<see cref="GifMetadata"/>).
/// </summary>
public static class Images
{
    /// <summary>Thumbnails fit in this square (twice the size the conversation shows them at, for sharp screens).</summary>
    public const int ThumbnailBox = 640;

    /// <summary>Bytes a decoded pixel takes (RGBA, 8 bits each).</summary>
    public const int BytesPerPixel = 4;

    /// <summary>
    /// Null when the file does not decode as the image it claims to be (it is then kept as a plain file).
    /// The pixels are decoded within <paramref name="budget"/>: the image's pixels, and a second copy
    /// when it must be turned upright.
    /// </summary>
    public static async Task<PreparedImage?> Prepare(string file, FileKind kind, long maxPixels, DecodeBudget budget, Func<string> newFile, CancellationToken cancel)
    {
        using var codec = SKCodec.Create(file);
        if (codec is null)
            return null;
        var pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > maxPixels)
            throw new ImageTooLarge();
        using var lease = await budget.Take(pixels * BytesPerPixel * (codec.EncodedOrigin == SKEncodedOrigin.TopLeft ? 1 : 2), cancel);
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
            return null;
        using var turned = codec.EncodedOrigin == SKEncodedOrigin.TopLeft ? null : Upright(decoded, codec.EncodedOrigin);
        var upright = turned ?? decoded;

        string served;
        if (kind == FileKind.Gif)
        {
            served = newFile();
            GifMetadata.CopyWithout(file, served);
        }
        else
        {
            served = Write(upright, kind == FileKind.Png ? SKEncodedImageFormat.Png : kind == FileKind.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp,
                quality: 90, newFile);
        }

        var (width, height) = ThumbnailSize(upright.Width, upright.Height);
        using var small = width == upright.Width ? null : upright.Resize(new SKImageInfo(width, height, upright.ColorType, upright.AlphaType),
            new SKSamplingOptions(SKCubicResampler.Mitchell));
        var thumbnail = Write(small ?? upright, SKEncodedImageFormat.Webp, quality: 80, newFile);
        return new PreparedImage(served, thumbnail, upright.Width, upright.Height);
    }

    /// <summary>The thumbnail's size for an image of this size: within <see cref="ThumbnailBox"/>, never enlarged.</summary>
    public static (int Width, int Height) ThumbnailSize(int width, int height)
    {
        var scale = Math.Min(1d, (double)ThumbnailBox / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>
    /// An image as a model is sent it: a JPEG that fits in <paramref name="side"/> pixels a side
    /// (transparency on white). Null if it does not decode. Formats that can (JPEG, WebP) are decoded
    /// straight at a reduced size; the pixels decoded count against <paramref name="budget"/>.
    /// </summary>
    public static async Task<byte[]?> Scaled(Stream input, int side, long maxPixels, DecodeBudget budget, CancellationToken cancel)
    {
        using var codec = SKCodec.Create(input);
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > maxPixels)
            return null;
        var wanted = Math.Min(1f, (float)side / Math.Max(codec.Info.Width, codec.Info.Height));
        var size = codec.GetScaledDimensions(wanted);
        if (size.Width <= 0 || size.Height <= 0)
            size = codec.Info.Size;
        using var lease = await budget.Take((long)size.Width * size.Height * BytesPerPixel, cancel);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            return null;
        var scale = Math.Min(1d, (double)side / Math.Max(decoded.Width, decoded.Height));
        var (width, height) = (Math.Max(1, (int)Math.Round(decoded.Width * scale)), Math.Max(1, (int)Math.Round(decoded.Height * scale)));
        using var result = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(result))
        {
            canvas.Clear(SKColors.White);
            using var image = SKImage.FromBitmap(decoded);
            canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var data = result.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    private static string Write(SKBitmap bitmap, SKEncodedImageFormat format, int quality, Func<string> newFile)
    {
        var path = newFile();
        using var output = File.Create(path);
        if (!bitmap.Encode(output, format, quality))
            throw new InvalidOperationException($"The image could not be encoded as {format}.");
        return path;
    }

    /// <summary>The pixels as the camera meant them to be seen (EXIF orientation applied).</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
            return source.Copy();
        var sideways = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (width, height) = sideways ? (source.Height, source.Width) : (source.Width, source.Height);
        var result = new SKBitmap(new SKImageInfo(width, height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Translate(width, 0); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomRight: canvas.Translate(width, height); canvas.RotateDegrees(180); break;
            case SKEncodedOrigin.BottomLeft: canvas.Translate(0, height); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(width, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(width, height); canvas.RotateDegrees(270); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, height); canvas.RotateDegrees(270); break;
        }
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return result;
    }
}
