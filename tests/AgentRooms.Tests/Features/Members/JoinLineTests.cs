using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Members;

public sealed class JoinLineTestsOnSqlite(SqliteAppFactory app) : JoinLineTests(app), IClassFixture<SqliteAppFactory>;

public sealed class JoinLineTestsOnMariaDb(MariaDbAppFactory app) : JoinLineTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Joining, leaving and removal show in the conversation as quiet lines ("Bob joined").</summary>
public abstract class JoinLineTests(AppFactory app)
{
    [Fact]
    public async Task A_new_name_or_description_is_said_in_the_room_as_a_quiet_line_naming_who_changed_it()
    {
        var (ada, _) = await app.SignedInPerson("Ada Describes");
        var roomId = await ada.CreateRoom("Before", "Public");
        await using var watching = await Open(app, ada, roomId);
        await watching.Resume(0);

        var saved = await ada.Submit($"/rooms/{roomId}/settings", "Save changes", new Dictionary<string, string>
        {
            ["Input.Name"] = "Before", ["Input.Description"] = "Where we plan the spring launch", ["Input.Visibility"] = "Public",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        await ada.Submit($"/rooms/{roomId}/settings", "Save changes", new Dictionary<string, string>
        {
            ["Input.Name"] = "After", ["Input.Description"] = "Where we plan the spring launch", ["Input.Visibility"] = "Public",
        });

        var lines = await watching.Collect(IsLineAppend, 2);
        Assert.Equal(new[] { "Ada Describes changed the room's description", "Ada Describes renamed the room" },
            lines.Select(f => System.Text.RegularExpressions.Regex.Match(f, "<span class=\"system-text\">([^<]*)</span>").Groups[1].Value.Replace("&#x27;", "'")));
        var page = await ada.Get($"/rooms/{roomId}");
        Assert.Equal(2, page.Document.QuerySelectorAll("#messages > .system-line").Length);
    }

    [Fact]
    public async Task Joining_leaving_and_removal_reach_the_room_as_quiet_lines_that_are_never_unread_and_never_deleted()
    {
        var (ada, _) = await app.SignedInPerson("Ada Lines");
        var (bob, _) = await app.SignedInPerson("Bob Lines");
        var (cleo, cleoEmail) = await app.SignedInPerson("Cleo Lines");
        var roomId = await ada.CreateRoom("Comings and goings", "Public");
        await using var watching = await Open(app, ada, roomId);
        await watching.Resume(0);

        await bob.Join(roomId);
        await cleo.Join(roomId);
        var leave = await (await bob.Get($"/rooms/{roomId}")).Submit(bob, "Leave room", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, leave.Status);
        var cleoId = await app.WithDb(db => db.Users.Where(u => u.Email == cleoEmail).Select(u => u.Id).SingleAsync());
        var removed = await ada.Post($"/rooms/{roomId}/settings?handler=Remove", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await ada.AnyToken(),
            ["userId"] = cleoId,
        });
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);

        var lines = await watching.Collect(IsLineAppend, 4);
        Assert.Equal(new[] { "Bob Lines joined", "Cleo Lines joined", "Bob Lines left", "Cleo Lines was removed" },
            lines.Select(f => System.Text.RegularExpressions.Regex.Match(f, "<span class=\"system-text\">([^<]*)</span>").Groups[1].Value));
        var page = await ada.Get($"/rooms/{roomId}");
        Assert.Equal(4, page.Document.QuerySelectorAll("#messages > .system-line").Length);
        Assert.Empty(page.Document.QuerySelectorAll("#messages > article")); // lines are not messages

        // Ada (who may delete anyone's message) cannot delete a line; Dan, who joins later, has nothing unread.
        var line = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.System).Select(m => m.Id).FirstAsync());
        var delete = await ada.Post($"/rooms/{roomId}/messages/{line}?handler=Delete",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await ada.AnyToken() });
        Assert.Equal(HttpStatusCode.Forbidden, delete.Status);
        var (dan, _) = await app.SignedInPerson("Dan Lines");
        await dan.Join(roomId);
        var nav = await dan.Get("/rooms/nav");
        Assert.Null(nav.Document.QuerySelector($"a[href='/rooms/{roomId}#latest']")!.GetAttribute("aria-label"));
    }
}
