using System.Net;
using System.Text;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Attachments;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace AgentRooms.Tests.Security;

public sealed class HostileFileTestsOnSqlite(SqliteAppFactory app) : HostileFileTests(app), IClassFixture<SqliteAppFactory>;

public sealed class HostileFileTestsOnMariaDb(MariaDbAppFactory app) : HostileFileTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Images decode within a memory budget however many arrive at once, and no image served keeps what was written into it besides its pixels.</summary>
public abstract class HostileFileTests
{
    private readonly AppFactory app;

    protected HostileFileTests(AppFactory app)
    {
        this.app = app;
        app.Settings["Attachments:MaxImagePixels"] = "10000000";
        app.Settings["Limits:UploadsPerMinute"] = "100";
    }

    [Fact]
    public async Task Large_images_uploaded_at_once_are_decoded_within_the_budget()
    {
        var (alice, _) = await app.SignedInPerson("Alice Pixels");
        var roomId = await alice.CreateRoom("Big pictures");
        var token = await alice.AnyToken();
        var picture = TestImages.Png(3000, 3000); // 9 million pixels: 36 MB decoded, small on the wire
        var budget = app.Services.GetRequiredService<DecodeBudget>();

        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => alice.Upload(roomId, $"big-{i}.png", new ByteArrayContent(picture), token)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Equal(10_000_000L * 4 * 2, budget.Total);
        Assert.InRange(budget.Peak, 3000L * 3000 * 4, budget.Total);
        var tooMany = await alice.Upload(roomId, "huge.png", new ByteArrayContent(TestImages.Png(4000, 4000)), token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.Status);
    }

    [Fact]
    public async Task A_gif_is_served_without_its_comments_or_application_blocks_and_still_draws()
    {
        var (alice, _) = await app.SignedInPerson("Alice Gif");
        var roomId = await alice.CreateRoom("Gifs");
        var gif = Gif();
        Assert.NotNull(SKBitmap.Decode(gif));

        var uploaded = await alice.Upload(roomId, "secret.gif", gif);

        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        var served = await alice.Client.GetByteArrayAsync($"/files/{uploaded.Key}");
        var text = Encoding.ASCII.GetString(served);
        Assert.StartsWith("GIF89a", text);
        Assert.DoesNotContain("SECRET", text);
        Assert.Contains("NETSCAPE2.0", text); // the loop count stays: it is how the picture moves
        using var decoded = SKBitmap.Decode(served);
        Assert.Equal((1, 1), (decoded.Width, decoded.Height));
    }

    /// <summary>A 1×1 GIF carrying a comment, an XMP packet and a plain-text block beside its loop count.</summary>
    private static byte[] Gif()
    {
        var bytes = new List<byte>();
        bytes.AddRange("GIF89a"u8.ToArray());
        bytes.AddRange([0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF]);
        bytes.AddRange([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8.ToArray(), 0x03, 0x01, 0x00, 0x00, 0x00]);
        var comment = "SECRET-COMMENT: taken at 52.52N 13.40E"u8.ToArray();
        bytes.AddRange([0x21, 0xFE, (byte)comment.Length, .. comment, 0x00]);
        var xmp = "SECRET-XMP author=someone"u8.ToArray();
        bytes.AddRange([0x21, 0xFF, 0x0B, .. "XMP DataXMP"u8.ToArray(), (byte)xmp.Length, .. xmp, 0x00]);
        bytes.AddRange([0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00]);
        bytes.AddRange([0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00]);
        bytes.Add(0x3B);
        return [.. bytes];
    }
}
