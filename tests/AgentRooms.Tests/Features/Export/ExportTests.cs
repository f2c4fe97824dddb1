using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Export;

public sealed class ExportTestsOnSqlite(SqliteAppFactory app) : ExportTests(app), IClassFixture<SqliteAppFactory>;

public sealed class ExportTestsOnMariaDb(MariaDbAppFactory app) : ExportTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>A room's owner takes the room out as a zip: every message as it stands, its reactions and files, and a transcript to read.</summary>
public abstract class ExportTests(AppFactory app)
{
    private async Task<long> IdOf(int roomId, string content) =>
        await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == content).Select(m => m.Id).SingleAsync());

    [Fact]
    public async Task The_owner_exports_the_room_with_its_messages_reactions_edits_and_files()
    {
        var (olive, _) = await app.SignedInPerson("Olive Owner");
        var (adam, _) = await app.SignedInPerson("Adam Export Admin");
        var (carl, _) = await app.SignedInPerson("Carl Export Outsider");
        var roomId = await olive.CreateRoom("Field notes", "Public");
        await adam.Join(roomId);
        await app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId && m.User!.DisplayName == "Adam Export Admin")
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, RoomRole.Admin)));
        await olive.Send(roomId, "First sighting: a **heron** at dawn.");
        await adam.Send(roomId, "Typo here");
        await adam.Send(roomId, "Delete me");
        var key = await adam.Uploads(roomId, "map of the pond.txt", Encoding.UTF8.GetBytes("north shore, reeds"));
        await adam.SendFiles(roomId, "The map.", key);
        var heron = await IdOf(roomId, "First sighting: a **heron** at dawn.");
        var typo = await IdOf(roomId, "Typo here");
        var gone = await IdOf(roomId, "Delete me");
        Assert.Equal(HttpStatusCode.Redirect, (await adam.Post($"/rooms/{roomId}/messages/{typo}?handler=Edit",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await adam.AnyToken(), ["Content"] = "Fixed here" })).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await adam.Post($"/rooms/{roomId}/messages/{gone}?handler=Delete",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await adam.AnyToken() })).Status);
        await adam.Post($"/rooms/{roomId}/messages/{heron}/reactions", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await adam.AnyToken(), ["text"] = "👍", ["on"] = "true",
        });

        // Only the owner: an admin runs the room but does not take it away; an outsider does not see it.
        Assert.Equal(HttpStatusCode.Forbidden, (await adam.Get($"/rooms/{roomId}/export")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await carl.Get($"/rooms/{roomId}/export")).Status);
        Assert.Contains("Export room", (await olive.Get($"/rooms/{roomId}/settings")).Text);

        var response = await olive.Client.GetAsync($"/rooms/{roomId}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("field-notes-", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);

        using var json = JsonDocument.Parse(zip.GetEntry("room.json")!.Open());
        var root = json.RootElement;
        Assert.Equal("agentrooms-room-export", root.GetProperty("format").GetString());
        Assert.Equal("Field notes", root.GetProperty("room").GetProperty("name").GetString());
        Assert.Equal(["Olive Owner", "Adam Export Admin"], root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        var messages = root.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("kind").GetString() != "system").ToList();
        Assert.Equal(4, messages.Count);
        Assert.Equal("First sighting: a **heron** at dawn.", messages[0].GetProperty("content").GetString());
        Assert.Equal("👍", messages[0].GetProperty("reactions")[0].GetProperty("text").GetString());
        Assert.Equal(["Adam Export Admin"], messages[0].GetProperty("reactions")[0].GetProperty("people").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Fixed here", messages[1].GetProperty("content").GetString());
        Assert.True(messages[1].TryGetProperty("editedAt", out _));
        Assert.False(messages[2].TryGetProperty("content", out _)); // deleted: when, never what
        Assert.True(messages[2].TryGetProperty("deletedAt", out _));
        var file = messages[3].GetProperty("files")[0];
        Assert.Equal("map of the pond.txt", file.GetProperty("name").GetString());
        using (var reader = new StreamReader(zip.GetEntry(file.GetProperty("path").GetString()!)!.Open()))
            Assert.Equal("north shore, reeds", await reader.ReadToEndAsync());

        using var transcript = new StreamReader(zip.GetEntry("transcript.md")!.Open());
        var text = await transcript.ReadToEndAsync();
        Assert.StartsWith("# Field notes", text);
        Assert.Contains("**Olive Owner** · ", text);
        Assert.Contains("First sighting: a **heron** at dawn.", text);
        Assert.Contains("👍 1", text);
        Assert.Contains("*This message was deleted.*", text);
        Assert.DoesNotContain("Delete me", text);
        Assert.Contains("📎 [map of the pond.txt](files/", text);
    }
}
