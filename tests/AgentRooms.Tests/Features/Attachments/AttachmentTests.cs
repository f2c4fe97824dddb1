using System.Net;
using System.Text;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Attachments;

public sealed class AttachmentTestsOnSqlite(SqliteAppFactory app) : AttachmentTests(app), IClassFixture<SqliteAppFactory>;

public sealed class AttachmentTestsOnMariaDb(MariaDbAppFactory app) : AttachmentTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Files shared in a room: what is kept, what is served, to whom, and for how long.</summary>
public abstract class AttachmentTests(AppFactory app)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>Every file the store holds (thumbnails included), work files apart.</summary>
    private string[] StoredFiles() =>
        Directory.Exists(app.FilesPath)
            ? Directory.GetFiles(app.FilesPath, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}incoming{Path.DirectorySeparatorChar}")).ToArray()
            : [];

    private string[] WorkFiles() =>
        Directory.Exists(Path.Combine(app.FilesPath, "incoming")) ? Directory.GetFiles(Path.Combine(app.FilesPath, "incoming")) : [];

    private bool Stored(string key) => StoredFiles().Any(f => Path.GetFileName(f).StartsWith(key));

    private static async Task<HttpResponseMessage> Fetch(Visitor visitor, string url) => await visitor.Client.GetAsync(url);

    [Fact]
    public async Task An_image_and_a_pdf_are_shown_to_the_room_and_served_only_to_who_can_read_it_now()
    {
        var (ada, _) = await app.SignedInPerson("Ada Files");
        var (bob, _) = await app.SignedInPerson("Bob Files");
        var (eve, _) = await app.SignedInPerson("Eve Files");
        var roomId = await ada.CreateRoom("Shared files", "Public");
        await bob.Join(roomId);
        await using var bobLive = await Open(app, bob, roomId);
        await bobLive.Resume(0);

        var png = TestImages.Png(1600, 900);
        var image = await ada.Upload(roomId, "C:\\Users\\ada\\holiday.png", png);
        Assert.Equal(HttpStatusCode.Created, image.Status);
        Assert.Equal("holiday.png", image.Answer.GetProperty("name").GetString());
        Assert.True(image.Answer.GetProperty("image").GetBoolean());
        var pdf = await ada.Uploads(roomId, "report.pdf", Pdf);
        // Before it is sent, only its uploader can open it.
        Assert.Equal(HttpStatusCode.OK, (await Fetch(ada, $"/files/{image.Key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(bob, $"/files/{image.Key}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await ada.SendFiles(roomId, "the photos and the report", image.Key!, pdf)).Status);

        // The room hears it with its files: a thumbnail whose size is known before it loads, and a card.
        var pushed = (await bobLive.Collect(IsAppend, 1)).Single();
        Assert.Contains($"src=\"/files/{image.Key}/thumbnail\"", pushed);
        Assert.Contains("width=\"640\" height=\"360\"", pushed);
        Assert.Contains("report.pdf", pushed);
        var page = await bob.Get($"/rooms/{roomId}");
        var article = page.Document.QuerySelectorAll("article.message").Last();
        Assert.Equal("holiday.png", article.QuerySelector(".attachment-image img")!.GetAttribute("alt"));
        Assert.Equal($"/files/{image.Key}", article.QuerySelector(".attachment-image")!.GetAttribute("href"));
        var card = article.QuerySelector(".attachment-file")!;
        Assert.Equal("report.pdf", card.GetAttribute("download"));
        Assert.Equal($"PDF document · {Pdf.Length} bytes", card.QuerySelector(".file-meta")!.TextContent);

        // Bob opens both: the image in the browser, the PDF as a download; neither can act as the site.
        using var full = await Fetch(bob, $"/files/{image.Key}");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("image/png", full.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", full.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal((1600, 900), TestImages.SizeOf(await full.Content.ReadAsByteArrayAsync()));
        Assert.Equal("nosniff", full.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", full.Headers.GetValues("Content-Security-Policy").Single());
        using var thumbnail = await Fetch(bob, $"/files/{image.Key}/thumbnail");
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal((640, 360), TestImages.SizeOf(await thumbnail.Content.ReadAsByteArrayAsync()));
        using var report = await Fetch(bob, $"/files/{pdf}");
        Assert.Equal("application/pdf", report.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", report.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("report.pdf", report.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(Pdf, await report.Content.ReadAsByteArrayAsync());

        // Someone outside the room, and Bob once he has left, get what a made-up key gets.
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(eve, $"/files/{image.Key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(eve, $"/files/{image.Key}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(eve, $"/files/{Guid.NewGuid():N}")).StatusCode);
        var leave = await bob.Submit($"/rooms/{roomId}", "Leave room", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, leave.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(bob, $"/files/{pdf}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(bob, $"/files/{image.Key}/thumbnail")).StatusCode);
        // Signed out, nobody gets a file.
        using var stranger = app.NewVisitor();
        Assert.NotEqual(HttpStatusCode.OK, (await Fetch(stranger, $"/files/{pdf}")).StatusCode);
    }

    [Fact]
    public async Task A_file_is_what_its_bytes_say_so_html_under_any_name_is_served_as_plain_text()
    {
        var (ada, _) = await app.SignedInPerson("Ada Kinds");
        var roomId = await ada.CreateRoom("Kinds");
        var html = Encoding.UTF8.GetBytes("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
        var svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>");
        var binary = new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00 };
        var keys = new[]
        {
            await ada.Uploads(roomId, "page.html", html),
            await ada.Uploads(roomId, "photo.png", html),
            await ada.Uploads(roomId, "logo.svg", svg),
            await ada.Uploads(roomId, "cat.jpg", binary),
            await ada.Uploads(roomId, "../../../etc/passwd\u202Egnp.exe", binary),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await ada.SendFiles(roomId, "", keys)).Status);

        foreach (var key in keys[..3])
        {
            using var response = await Fetch(ada, $"/files/{key}");
            Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
        // Bytes that are no image, named as one: a download, with no thumbnail and no image in the room.
        using var cat = await Fetch(ada, $"/files/{keys[3]}");
        Assert.Equal("application/octet-stream", cat.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", cat.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(ada, $"/files/{keys[3]}/thumbnail")).StatusCode);
        var page = await ada.Get($"/rooms/{roomId}");
        Assert.Empty(page.Document.QuerySelectorAll(".attachment-image"));
        // A name is a name: no folders, no right-to-left trick.
        Assert.Equal(["page.html", "photo.png", "logo.svg", "cat.jpg", "passwdgnp.exe"],
            page.Document.QuerySelectorAll(".attachment-file .file-name").Select(n => n.TextContent));
        Assert.All(StoredFiles(), f => Assert.StartsWith(app.FilesPath, f));
    }

    [Fact]
    public async Task Image_metadata_such_as_a_gps_position_is_gone_from_what_is_served()
    {
        var (ada, _) = await app.SignedInPerson("Ada Exif");
        var roomId = await ada.CreateRoom("Exif");
        var photo = TestImages.JpegWithLocation(800, 600, "SECRET-PLACE");
        Assert.Contains("SECRET-PLACE", Encoding.ASCII.GetString(photo));
        var key = await ada.Uploads(roomId, "IMG_0001.JPG", photo);
        await ada.SendFiles(roomId, "look", key);

        var served = await (await Fetch(ada, $"/files/{key}")).Content.ReadAsByteArrayAsync();
        var text = Encoding.ASCII.GetString(served);
        Assert.DoesNotContain("SECRET-PLACE", text);
        Assert.DoesNotContain("Exif", text);
        Assert.Equal((800, 600), TestImages.SizeOf(served));
        Assert.DoesNotContain("SECRET-PLACE", Encoding.ASCII.GetString(await (await Fetch(ada, $"/files/{key}/thumbnail")).Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Deleting_a_message_deletes_its_files()
    {
        var (ada, _) = await app.SignedInPerson("Ada Deletes");
        var roomId = await ada.CreateRoom("Deleting files");
        var image = await ada.Uploads(roomId, "a.png", TestImages.Png(300, 200));
        var pdf = await ada.Uploads(roomId, "b.pdf", Pdf);
        await ada.SendFiles(roomId, "soon gone", image, pdf);
        Assert.True(Stored(image) && Stored(pdf));
        var messageId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == "soon gone").Select(m => m.Id).SingleAsync());

        var deleted = await ada.Submit($"/rooms/{roomId}/messages/{messageId}", "Delete", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(ada, $"/files/{image}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(ada, $"/files/{pdf}")).StatusCode);
        Assert.False(Stored(image) || Stored(pdf));
        Assert.Equal(0, await app.WithDb(db => db.Attachments.CountAsync(a => a.MessageId == messageId)));
        Assert.Empty((await ada.Get($"/rooms/{roomId}")).Document.QuerySelectorAll(".attachments"));
    }

    [Fact]
    public async Task Files_go_only_with_their_uploaders_messages_once()
    {
        var (ada, _) = await app.SignedInPerson("Ada Claims");
        var (bob, _) = await app.SignedInPerson("Bob Claims");
        var roomId = await ada.CreateRoom("Claims", "Public");
        await bob.Join(roomId);
        var otherRoom = await ada.CreateRoom("Elsewhere");
        var key = await ada.Uploads(roomId, "mine.pdf", Pdf);

        // Not Bob's to send, not for another room; then Ada's, once.
        var stolen = await bob.SendFiles(roomId, "look what I found", key);
        Assert.Equal(HttpStatusCode.Conflict, stolen.Status);
        Assert.Contains("no longer there", stolen.Document.QuerySelector("#composer-error")!.TextContent);
        Assert.Equal("look what I found", stolen.Document.QuerySelector("#composer-content")!.TextContent);
        Assert.Equal(HttpStatusCode.Conflict, (await ada.SendFiles(otherRoom, "wrong room", key)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await ada.SendFiles(roomId, "", key)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await ada.SendFiles(roomId, "again", key)).Status);
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == otherRoom && m.Kind == AgentRooms.Data.Messages.MessageKind.User)));

        // No upload into a room one is not in; none without the page's token.
        var eveRoom = await bob.CreateRoom("Bob's own");
        Assert.Equal(HttpStatusCode.NotFound, (await ada.Upload(eveRoom, "x.pdf", Pdf)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await ada.Upload(roomId, "x.pdf", new ByteArrayContent(Pdf), token: "forged")).Status);
        // An empty message with no file is still refused.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ada.SendFiles(roomId, "  ")).Status);
    }

    [Fact]
    public async Task A_file_sent_over_the_socket_reaches_the_room_and_a_stolen_one_is_refused_to_the_sender_alone()
    {
        var (ada, _) = await app.SignedInPerson("Ada Socket Files");
        var (bob, _) = await app.SignedInPerson("Bob Socket Files");
        var roomId = await ada.CreateRoom("Socket files", "Public");
        await bob.Join(roomId);
        await using var adaLive = await Open(app, ada, roomId);
        await adaLive.Resume(0);
        await using var bobLive = await Open(app, bob, roomId);
        await bobLive.Resume(0);
        var key = await ada.Uploads(roomId, "chart.png", TestImages.Png(200, 100));

        var stolenId = Guid.NewGuid();
        await bobLive.SendJson(new { type = "send", content = "mine now", clientMessageId = stolenId, files = new[] { key } });
        var refusal = (await bobLive.Collect(f => f.Contains("not-sent"), 1)).Single();
        Assert.Contains(stolenId.ToString(), refusal);

        await adaLive.SendJson(new { type = "send", content = "", clientMessageId = Guid.NewGuid(), files = new[] { key } });
        var arrived = (await bobLive.Collect(IsAppend, 1)).Single();
        Assert.Contains($"/files/{key}/thumbnail", arrived);
        Assert.Contains("width=\"200\" height=\"100\"", arrived);
        Assert.DoesNotContain("message-body", arrived);
    }

    [Fact]
    public async Task Without_javascript_the_form_sends_its_files_with_the_message()
    {
        var (ada, _) = await app.SignedInPerson("Ada No Script");
        var roomId = await ada.CreateRoom("Plain forms");
        var room = await ada.Get($"/rooms/{roomId}");
        var form = room.Document.QuerySelector("form#composer")!;
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        var input = form.QuerySelector("input[type=file]")!;
        var label = room.Document.QuerySelector($"label[for='{input.Id}']")!;
        Assert.Equal("Attach", label.TextContent.Trim());
        // The token is the form's first field: the server checks it before it reads any file.
        Assert.Equal("__RequestVerificationToken", form.QuerySelector("input")!.GetAttribute("name"));

        var sent = await ada.PostComposer(roomId, "two files", [("notes.txt", new ByteArrayContent("hello"u8.ToArray())), ("pic.png", new ByteArrayContent(TestImages.Png(64, 64)))]);
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var page = await ada.Get($"/rooms/{roomId}");
        var article = page.Document.QuerySelectorAll("article.message").Last();
        Assert.Equal("two files", article.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.Equal("pic.png", article.QuerySelector(".attachment-image img")!.GetAttribute("alt"));
        Assert.Equal("notes.txt", article.QuerySelector(".attachment-file .file-name")!.TextContent);

        // Only files, no words; and a file input left empty sends nothing extra.
        Assert.Equal(HttpStatusCode.Redirect, (await ada.PostComposer(roomId, "", [("only.pdf", new ByteArrayContent(Pdf))])).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await ada.PostComposer(roomId, "just words", [])).Status);
        Assert.Equal(3, await app.WithDb(db => db.Attachments.CountAsync(a => a.RoomId == roomId && a.MessageId != null)));

        // Without the token, nothing is read, nothing kept.
        var before = StoredFiles().Length;
        var forged = await ada.PostComposer(roomId, "forged", [("x.pdf", new ByteArrayContent(Pdf))], token: "not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        var missing = await ada.PostComposer(roomId, "no token", [("x.pdf", new ByteArrayContent(Pdf))], token: null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(before, StoredFiles().Length);
    }

    [Fact]
    public async Task An_unsent_upload_is_swept_away_after_its_time()
    {
        var (ada, _) = await app.SignedInPerson("Ada Forgets");
        var roomId = await ada.CreateRoom("Forgotten");
        var forgotten = await ada.Uploads(roomId, "forgotten.png", TestImages.Png(50, 50));
        var fresh = await ada.Uploads(roomId, "fresh.pdf", Pdf);
        var sent = await ada.Uploads(roomId, "sent.pdf", Pdf);
        await ada.SendFiles(roomId, "sent", sent);
        await app.WithDb(db => db.Attachments.Where(a => a.Key == Guid.Parse(forgotten) || a.Key == Guid.Parse(sent))
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.CreatedAt, DateTime.UtcNow.AddDays(-2))));

        var sweeper = app.Services.GetServices<IHostedService>().OfType<AttachmentSweeper>().Single();
        await sweeper.Sweep(CancellationToken.None);

        Assert.False(Stored(forgotten));
        Assert.Equal(HttpStatusCode.NotFound, (await Fetch(ada, $"/files/{forgotten}")).StatusCode);
        Assert.True(Stored(fresh) && Stored(sent));
        Assert.Equal(HttpStatusCode.OK, (await Fetch(ada, $"/files/{sent}")).StatusCode);
    }
}
