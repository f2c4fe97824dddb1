using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;

namespace AgentRooms.Tests.Support;

/// <summary>Uploading as the composer's script does, and posting files as a form without JavaScript does.</summary>
public static class AttachmentSteps
{
    public sealed record Uploaded(HttpStatusCode Status, string? Key, string? Error, JsonElement Answer);

    /// <summary>One file as the request's body, the token in a header (the script's way).</summary>
    public static async Task<Uploaded> Upload(this Visitor visitor, int roomId, string name, HttpContent content, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{roomId}/attachments?name={Uri.EscapeDataString(name)}") { Content = content };
        request.Headers.Add("RequestVerificationToken", token ?? await visitor.AnyToken());
        using var response = await visitor.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var answer = text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new Uploaded(response.StatusCode,
            answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("key", out var key) ? key.GetString() : null,
            answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var error) ? error.GetString() : null, answer);
    }

    public static Task<Uploaded> Upload(this Visitor visitor, int roomId, string name, byte[] bytes) =>
        visitor.Upload(roomId, name, new ByteArrayContent(bytes));

    /// <summary>Uploads and asserts it was taken; its key.</summary>
    public static async Task<string> Uploads(this Visitor visitor, int roomId, string name, byte[] bytes)
    {
        var uploaded = await visitor.Upload(roomId, name, bytes);
        Assert.True(uploaded.Status == HttpStatusCode.Created, $"{name}: {uploaded.Status} {uploaded.Error}");
        return uploaded.Key!;
    }

    /// <summary>Sends a message with uploaded files as the script's form post does.</summary>
    public static async Task<Visitor.Page> SendFiles(this Visitor visitor, int roomId, string content, params string[] keys)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", await visitor.AnyToken()),
            new("Composer.Content", content),
            new("Composer.ClientMessageId", Guid.NewGuid().ToString()),
        };
        fields.AddRange(keys.Select(key => new KeyValuePair<string, string>("Composer.Files", key)));
        return await visitor.PostAsHtmx($"/rooms/{roomId}/messages", fields);
    }

    /// <summary>The composer's form without JavaScript: multipart, the token first (or not at all), then the fields, then the files.</summary>
    public static async Task<Visitor.Page> PostComposer(this Visitor visitor, int roomId, string content, IEnumerable<(string Name, HttpContent Content)> files,
        string? token = "", Guid? clientMessageId = null)
    {
        var form = new MultipartFormDataContent();
        if (token is not null)
            form.Add(new StringContent(token.Length == 0 ? await visitor.AnyToken() : token), "__RequestVerificationToken");
        form.Add(new StringContent((clientMessageId ?? Guid.NewGuid()).ToString()), "Composer.ClientMessageId");
        form.Add(new StringContent(""), "Composer.QuotedMessageId");
        form.Add(new StringContent(content), "Composer.Content");
        var any = false;
        foreach (var (name, file) in files)
        {
            form.Add(file, "Composer.Files", name);
            any = true;
        }
        if (!any) // what a browser sends for a file input left empty
            form.Add(new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "Composer.Files", "\"\"");
        var response = await visitor.Client.PostAsync($"/rooms/{roomId}/messages", form);
        return await Visitor.Page.Read(response);
    }
}

/// <summary>Images made for the tests, in the formats people share.</summary>
public static class TestImages
{
    public static byte[] Png(int width, int height, SKColor? color = null) => Encode(width, height, SKEncodedImageFormat.Png, color ?? SKColors.SeaGreen);

    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg, SKColors.Orange);

    /// <summary>A JPEG carrying an EXIF segment with a GPS position (and a marker to look for in what is served).</summary>
    public static byte[] JpegWithLocation(int width, int height, string marker)
    {
        var jpeg = Jpeg(width, height);
        var payload = "Exif\0\0"u8.ToArray().Concat(System.Text.Encoding.ASCII.GetBytes("MM\0*\0\0\0\bGPSLatitude 52.5200 N " + marker)).ToArray();
        var length = payload.Length + 2;
        var segment = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        // Right after the start-of-image marker, where cameras put it.
        return jpeg.Take(2).Concat(segment).Concat(jpeg.Skip(2)).ToArray();
    }

    public static (int Width, int Height) SizeOf(byte[] image)
    {
        using var codec = SKCodec.Create(new MemoryStream(image)) ?? throw new InvalidOperationException("Not an image");
        return (codec.Info.Width, codec.Info.Height);
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color);
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 4f, paint);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }
}
