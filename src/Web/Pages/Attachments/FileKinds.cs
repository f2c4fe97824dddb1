using System.Globalization;
using System.Text;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>What a file is, read from its first bytes (the name can say anything), and how it may be served.</summary>
public sealed record FileKind(string ContentType, string Description)
{
    /// <summary>How many bytes of a file <see cref="Of"/> reads.</summary>
    public const int SniffLength = 8192;

    public static readonly FileKind Png = new("image/png", "PNG image");
    public static readonly FileKind Jpeg = new("image/jpeg", "JPEG image");
    public static readonly FileKind Gif = new("image/gif", "GIF image");
    public static readonly FileKind Webp = new("image/webp", "WebP image");
    public static readonly FileKind Text = new("text/plain", "Text");
    public static readonly FileKind Binary = new("application/octet-stream", "File");

    private static readonly FileKind[] Known =
    [
        Png, Jpeg, Gif, Webp, Text, Binary,
        new("application/pdf", "PDF document"),
        new("application/zip", "ZIP archive"),
        new("application/gzip", "GZIP archive"),
        new("application/x-7z-compressed", "7-Zip archive"),
        new("video/mp4", "Video"),
        new("audio/mpeg", "Audio"),
        new("audio/ogg", "Audio"),
        new("audio/wav", "Audio"),
    ];

    /// <summary>Images the conversation shows (with a thumbnail, full size on click).</summary>
    public bool IsImage => this == Png || this == Jpeg || this == Gif || this == Webp;

    /// <summary>
    /// Shown in the browser rather than downloaded: images and plain text only. Text is served as
    /// <c>text/plain</c> whatever it holds (an HTML file is text here), with <c>nosniff</c>.
    /// </summary>
    public bool ServedInline => IsImage || this == Text;

    /// <summary>The content type stored with an attachment, back to its kind (an unknown one is a plain file).</summary>
    public static FileKind FromContentType(string contentType) =>
        Known.FirstOrDefault(k => k.ContentType == contentType) ?? Binary;

    /// <summary>The kind of a file that starts with <paramref name="head"/> (its first <see cref="SniffLength"/> bytes, or all of a shorter one).</summary>
    public static FileKind Of(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
            return Png;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return Jpeg;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
            return Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
            return Webp;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
            return FromContentType("audio/wav");
        if (head.StartsWith("%PDF-"u8))
            return FromContentType("application/pdf");
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
            return FromContentType("application/zip");
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
            return FromContentType("application/gzip");
        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]))
            return FromContentType("application/x-7z-compressed");
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
            return FromContentType("video/mp4");
        if (head.StartsWith("ID3"u8) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFB]))
            return FromContentType("audio/mpeg");
        if (head.StartsWith("OggS"u8))
            return FromContentType("audio/ogg");
        return LooksLikeText(head) ? Text : Binary;
    }

    /// <summary>UTF-8 (a character cut at the end of the sample aside) with no NUL and hardly any other control characters.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        var controls = 0;
        foreach (var b in head)
        {
            if (b == 0)
                return false;
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0C)
                controls++;
        }
        if (controls * 100 > head.Length)
            return false;
        // A multi-byte character cut off by the end of the sample does not make it binary.
        var sample = head;
        for (var back = 0; back < 3 && sample.Length > 0 && (sample[^1] & 0xC0) == 0x80; back++)
            sample = sample[..^1];
        if (sample.Length > 0 && sample[^1] >= 0xC0)
            sample = sample[..^1];
        return System.Text.Unicode.Utf8.IsValid(sample);
    }

    /// <summary>"2.4 MB", "830 KB", "12 bytes".</summary>
    public static string SizeText(long bytes) => bytes switch
    {
        < 1024 => bytes == 1 ? "1 byte" : $"{bytes} bytes",
        < 1024 * 1024 => $"{Math.Max(1, bytes / 1024)} KB",
        < 1024L * 1024 * 1024 => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / (1024d * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
    };
}

/// <summary>The name a file is shown and downloaded with: what the person's system called it, made harmless.</summary>
public static class FileNames
{
    public static string Clean(string? given)
    {
        // Only the last part of any path ("C:\Users\ada\photo.jpg", "../../etc/passwd").
        var name = (given ?? "").Replace('\\', '/');
        if (name.Length > 1000)
            name = name[^1000..];
        name = name[(name.LastIndexOf('/') + 1)..];
        var kept = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            // Controls, and format characters such as right-to-left overrides ("photo\u202Egpj.exe").
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                continue;
            kept.Append(rune.ToString());
        }
        // After the filter: a lone surrogate (now U+FFFD) cannot be normalised.
        name = kept.ToString().Normalize(NormalizationForm.FormC).Trim().Trim('.').Trim();
        if (name.Length == 0)
            return "file";
        if (name.Length <= Data.Attachments.Attachment.FileNameMaxLength)
            return name;
        // Too long: keep the end (the extension), cut the start, never inside a character.
        var extension = Path.GetExtension(name);
        if (extension.Length > 20)
            extension = "";
        var room = Data.Attachments.Attachment.FileNameMaxLength - extension.Length;
        var start = new StringBuilder(room);
        var elements = StringInfo.GetTextElementEnumerator(name[..^extension.Length]);
        while (elements.MoveNext() && start.Length + elements.GetTextElement().Length <= room)
            start.Append(elements.GetTextElement());
        return start + extension;
    }
}
