using System.Net;
using AgentRooms.Tests.Support;

namespace AgentRooms.Tests.Features.Attachments;

/// <summary>Limits are counted while the bytes come in: a file past one is refused at once, and nothing of it is kept.</summary>
public sealed class AttachmentLimitTests : IClassFixture<SqliteAppFactory>
{
    private readonly SqliteAppFactory app;

    public AttachmentLimitTests(SqliteAppFactory app)
    {
        // Small limits, to pass them cheaply.
        app.Settings["Attachments:MaxBytes"] = "50000";
        app.Settings["Attachments:DailyBytesPerPerson"] = "130000";
        app.Settings["Attachments:MaxPerMessage"] = "3";
        this.app = app;
    }

    private string[] AllFiles() =>
        Directory.Exists(app.FilesPath) ? Directory.GetFiles(app.FilesPath, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task A_file_past_the_limit_is_refused_while_it_streams_and_nothing_is_kept()
    {
        var (ada, _) = await app.SignedInPerson("Ada Large");
        var roomId = await ada.CreateRoom("Large files");
        var before = AllFiles().Length;

        // Said too large up front: refused before a byte is read.
        var declared = await ada.Upload(roomId, "big.bin", new ByteArrayContent(new byte[60_000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.Status);
        Assert.Equal("big.bin is larger than 48 KB, the most a file may be.", declared.Error);

        // Streamed with no length, and never ending: only a server that counts as it reads can answer.
        var endless = await ada.Upload(roomId, "endless.bin", new StreamContent(new EndlessStream()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, endless.Status);
        Assert.Equal(before, AllFiles().Length);

        // The form without JavaScript: the draft comes back with the reason; nothing is kept.
        var known = await ada.PostComposer(roomId, "my draft", [("huge.bin", new ByteArrayContent(new byte[200_000]))]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, known.Status);
        var form = await ada.PostComposer(roomId, "my draft", [("huge.bin", new StreamContent(new EndlessStream()))]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.Status);
        Assert.Contains("huge.bin is larger than 48 KB", form.Document.QuerySelector("#composer-error")!.TextContent);
        Assert.Equal("my draft", form.Document.QuerySelector("#composer-content")!.TextContent);
        Assert.Equal(before, AllFiles().Length);
    }

    [Fact]
    public async Task A_person_uploads_at_most_the_days_quota_and_a_message_carries_at_most_its_files()
    {
        var (ada, _) = await app.SignedInPerson("Ada Quota");
        var roomId = await ada.CreateRoom("Quota");
        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
            keys.Add(await ada.Uploads(roomId, $"part{i}.bin", new byte[40_000]));
        var fourth = await ada.Upload(roomId, "part3.bin", new byte[40_000]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, fourth.Status);
        Assert.Contains("would take you past what you may upload in a day", fourth.Error);
        var small = await ada.Uploads(roomId, "small.txt", "fits"u8.ToArray());

        var tooMany = await ada.SendFiles(roomId, "four files", [.. keys, small]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.Status);
        Assert.Contains("at most 3 files", tooMany.Document.QuerySelector("#composer-error")!.TextContent);
        Assert.Equal(HttpStatusCode.NoContent, (await ada.SendFiles(roomId, "three files", [.. keys])).Status);
    }

    /// <summary>Bytes without end, never saying how many.</summary>
    private sealed class EndlessStream : Stream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'x', offset, count);
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
