using System.Net;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Rooms;

public sealed class ArchiveTestsOnSqlite(SqliteAppFactory app) : ArchiveTests(app), IClassFixture<SqliteAppFactory>;

public sealed class ArchiveTestsOnMariaDb(MariaDbAppFactory app) : ArchiveTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>An owner archives a room: read-only for everyone, out of the rooms in use, still there to read and search; unarchived, back.</summary>
public abstract class ArchiveTests(AppFactory app)
{
    [Fact]
    public async Task Only_the_owner_archives_a_room_which_then_refuses_posts_but_stays_readable_and_searchable()
    {
        var (olga, _) = await app.SignedInPerson("Olga Archivist");
        var (adam, _) = await app.SignedInPerson("Adam Admin");
        var (carl, _) = await app.SignedInPerson("Carl Outsider");
        var roomId = await olga.CreateRoom("Project Heron", "Public");
        await adam.Join(roomId);
        await app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId && m.User!.DisplayName == "Adam Admin")
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, RoomRole.Admin)));
        await olga.Send(roomId, "The heron project wraps up with the zebrafish report.");
        var settings = $"/rooms/{roomId}/settings";

        // An admin runs the room but does not archive it; an outsider does not even see it.
        var adminsPage = await adam.Get(settings);
        Assert.Null(adminsPage.Document.QuerySelector("#archive-heading"));
        var token = await adam.AnyToken();
        Assert.Equal(HttpStatusCode.Forbidden, (await adam.Post($"{settings}?handler=Archive", new Dictionary<string, string> { ["archived"] = "true", ["__RequestVerificationToken"] = token })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await carl.Post($"{settings}?handler=Archive", new Dictionary<string, string> { ["archived"] = "true", ["__RequestVerificationToken"] = await carl.AnyToken() })).Status);
        Assert.Null(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.ArchivedAt).SingleAsync()));

        Assert.Equal(HttpStatusCode.Redirect, (await olga.Submit(settings, "Archive room", new Dictionary<string, string>())).Status);

        // Read-only for everyone, members and owner alike, and said so.
        var refused = await adam.Send(roomId, "One more thing!");
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("This room is archived: it is read-only.", refused.Text);
        Assert.Equal(HttpStatusCode.Conflict, (await olga.Send(roomId, "Me neither?")).Status);
        var page = await olga.Get($"/rooms/{roomId}");
        Assert.Contains("This room is archived: it is read-only.", page.Document.QuerySelector(".archived-note")!.TextContent);
        Assert.Contains("zebrafish report", page.Text);
        // Out of the rooms in use, listed under Archived, and still found by search.
        var rooms = await olga.Get("/rooms");
        Assert.Null(rooms.Document.QuerySelector("[aria-label='Your rooms']")?.QuerySelector($"a[href^='/rooms/{roomId}']"));
        Assert.NotNull(rooms.Document.QuerySelector("[aria-label='Archived rooms']")!.QuerySelector($"a[href^='/rooms/{roomId}']"));
        Assert.DoesNotContain("Project Heron", (await adam.Get("/rooms/nav")).Text);
        Assert.Contains("zebrafish report", (await adam.Get("/search?q=zebrafish")).Text);
        Assert.DoesNotContain("Project Heron", (await carl.Get("/rooms")).Text); // no longer offered to join

        Assert.Equal(HttpStatusCode.Redirect, (await olga.Submit(settings, "Unarchive room", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await adam.Send(roomId, "Back in business.")).Status);
        Assert.NotNull((await olga.Get("/rooms")).Document.QuerySelector("[aria-label='Your rooms']")!.QuerySelector($"a[href^='/rooms/{roomId}']"));
    }
}
