using System.Net;
using System.Net.WebSockets;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Members;

public sealed class RoleTestsOnSqlite(SqliteAppFactory app) : RoleTests(app), IClassFixture<SqliteAppFactory>;

public sealed class RoleTestsOnMariaDb(MariaDbAppFactory app) : RoleTests(app), IClassFixture<MariaDbAppFactory>;

public abstract class RoleTests(AppFactory app)
{
    [Fact]
    public async Task A_member_cannot_rename_remove_invite_or_change_roles()
    {
        var room = await RoomWith("Owner1", "Member1", "Other1");
        var member = room.People[1];
        var token = await member.Visitor.AnyToken();
        var invitations = await app.WithDb(db => db.Invitations.CountAsync(i => i.RoomId == room.Id));

        var attempts = new[]
        {
            await member.Visitor.Get($"/rooms/{room.Id}/settings"),
            await member.Visitor.Post($"/rooms/{room.Id}/settings?handler=Save", Fields(token, ("Input.Name", "Hijacked"), ("Input.Visibility", "Public"))),
            await member.Visitor.Post($"/rooms/{room.Id}/settings?handler=Remove", Fields(token, ("userId", room.People[2].UserId))),
            await member.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role", Fields(token, ("userId", member.UserId), ("role", "Admin"))),
            await member.Visitor.Post($"/rooms/{room.Id}/invitations/new", Fields(token, ("Invite.Expires", "7"))),
        };

        Assert.All(attempts, page => Assert.Equal(HttpStatusCode.Forbidden, page.Status));
        var stored = await app.WithDb(db => db.Rooms.Include(r => r.Members).SingleAsync(r => r.Id == room.Id));
        Assert.Equal("Roles", stored.Name);
        Assert.Equal(3, stored.Members.Count);
        Assert.Equal(RoomRole.Member, stored.Members.Single(m => m.UserId == member.UserId).Role);
        Assert.Equal(invitations, await app.WithDb(db => db.Invitations.CountAsync(i => i.RoomId == room.Id)));
    }

    [Fact]
    public async Task An_admin_cannot_make_owners_or_touch_the_owner()
    {
        var room = await RoomWith("Owner2", "Admin2", "Member2");
        var (owner, admin, member) = (room.People[0], room.People[1], room.People[2]);
        await owner.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role", Fields(await owner.Visitor.AnyToken(), ("userId", admin.UserId), ("role", "Admin")));
        var token = await admin.Visitor.AnyToken();

        var attempts = new[]
        {
            await admin.Visitor.Post($"/rooms/{room.Id}/settings?handler=HandOver", Fields(token, ("userId", member.UserId))),
            await admin.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role", Fields(token, ("userId", member.UserId), ("role", "Owner"))),
            await admin.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role", Fields(token, ("userId", owner.UserId), ("role", "Member"))),
            await admin.Visitor.Post($"/rooms/{room.Id}/settings?handler=Remove", Fields(token, ("userId", owner.UserId))),
        };

        Assert.All(attempts, page => Assert.Equal(HttpStatusCode.Forbidden, page.Status));
        var roles = await Roles(room.Id);
        Assert.Equal([RoomRole.Owner, RoomRole.Admin, RoomRole.Member], new[] { owner, admin, member }.Select(p => roles[p.UserId]));
    }

    [Fact]
    public async Task An_owner_promotes_demotes_and_hands_over_and_the_room_keeps_an_owner()
    {
        var room = await RoomWith("Owner3", "Heir3");
        var (owner, heir) = (room.People[0], room.People[1]);

        var selfDemote = await owner.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role",
            Fields(await owner.Visitor.AnyToken(), ("userId", owner.UserId), ("role", "Member")));
        Assert.Equal(HttpStatusCode.Forbidden, selfDemote.Status);

        await Act(owner, room.Id, "Make admin");
        Assert.Equal(RoomRole.Admin, (await Roles(room.Id))[heir.UserId]);
        await Act(owner, room.Id, "Make member");
        Assert.Equal(RoomRole.Member, (await Roles(room.Id))[heir.UserId]);
        await Act(owner, room.Id, "Make owner");

        var roles = await Roles(room.Id);
        Assert.Equal(RoomRole.Owner, roles[heir.UserId]);
        Assert.Equal(RoomRole.Admin, roles[owner.UserId]);
    }

    [Fact]
    public async Task Twenty_concurrent_role_changes_leave_at_least_one_owner_and_no_errors()
    {
        var room = await RoomWith("Owner4", "A4", "B4", "C4");
        var owner = room.People[0];
        var token = await owner.Visitor.AnyToken();
        var requests = Enumerable.Range(0, 20).Select(i =>
        {
            var target = room.People[1 + i % 3];
            return (i % 4) switch
            {
                0 => owner.Visitor.Post($"/rooms/{room.Id}/settings?handler=HandOver", Fields(token, ("userId", target.UserId))),
                1 => owner.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role", Fields(token, ("userId", target.UserId), ("role", "Admin"))),
                2 => owner.Visitor.Post($"/rooms/{room.Id}/settings?handler=Role", Fields(token, ("userId", target.UserId), ("role", "Member"))),
                _ => owner.Visitor.Post($"/rooms/{room.Id}/membership?handler=Leave", Fields(token)),
            };
        });

        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.True((int)r.Status < 500, $"{r.Status}"));
        Assert.Contains(RoomRole.Owner, (await Roles(room.Id)).Values);
    }

    [Fact]
    public async Task A_demoted_admin_is_refused_on_the_very_next_request()
    {
        var room = await RoomWith("Owner5", "Admin5");
        var (owner, admin) = (room.People[0], room.People[1]);
        await Act(owner, room.Id, "Make admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.Visitor.Get($"/rooms/{room.Id}/settings")).Status);

        await Act(owner, room.Id, "Make member");

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Visitor.Get($"/rooms/{room.Id}/settings")).Status);
    }

    [Fact]
    public async Task A_removed_member_loses_their_socket_at_once_and_their_history()
    {
        var room = await RoomWith("Owner6", "Removed6");
        var (owner, removed) = (room.People[0], room.People[1]);
        await owner.Visitor.Send(room.Id, "old words");
        var old = await app.WithDb(db => db.Messages.Where(m => m.RoomId == room.Id && m.Content == "old words").Select(m => m.Id).SingleAsync());
        await removed.Visitor.Send(room.Id, "my old words");
        var mine = await app.WithDb(db => db.Messages.Where(m => m.RoomId == room.Id && m.Content == "my old words").Select(m => m.Id).SingleAsync());
        await using var socket = await LiveSocket.Open(app, removed.Visitor, room.Id);
        await socket.Resume(2);
        await socket.Collect(f => f.Contains("id=\"members\""), 1);

        await Act(owner, room.Id, "Remove");
        await owner.Visitor.Send(room.Id, "after removal");
        var (status, fragments) = await socket.UntilClosed(TimeSpan.FromSeconds(10));

        // Closed by the removal itself (1008), not by a timeout, and before the next message went out.
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.DoesNotContain(fragments, f => f.Contains("after removal"));
        Assert.Equal(HttpStatusCode.NotFound, (await removed.Visitor.Get($"/rooms/{room.Id}")).Status);
        var edit = await removed.Visitor.Post($"/rooms/{room.Id}/messages/{mine}?handler=Edit",
            Fields(await removed.Visitor.AnyToken(), ("Content", "rewritten")));
        Assert.Equal(HttpStatusCode.NotFound, edit.Status);
        await using var again = await LiveSocket.Open(app, removed.Visitor, room.Id);
        var (againStatus, againFragments) = await again.UntilClosed();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, againStatus);
        Assert.Empty(againFragments);
    }

    [Fact]
    public async Task A_person_removed_from_a_public_room_cannot_rejoin_by_themselves_until_let_back_in_or_invited()
    {
        var (owner, _) = await app.SignedInPerson("Bouncer");
        var roomId = await owner.CreateRoom("Open doors", "Public");
        var (guest, guestEmail) = await app.SignedInPerson("Returner");
        var guestId = await app.WithDb(db => db.Users.Where(u => u.Email == guestEmail).Select(u => u.Id).SingleAsync());
        await guest.Join(roomId);
        var bouncer = new Person(owner, "");

        await Act(bouncer, roomId, "Remove");
        var refused = await (await guest.Get($"/rooms/{roomId}")).Submit(guest, "Join", new Dictionary<string, string>());
        var shown = await guest.Get($"/rooms/{roomId}");

        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.Contains("You were removed from this room", shown.Text);
        Assert.False(await app.WithDb(db => db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == guestId)));

        await Act(bouncer, roomId, "Let back in");
        await guest.Join(roomId);
        Assert.True(await app.WithDb(db => db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == guestId)));

        await Act(bouncer, roomId, "Remove");
        await guest.AcceptInvite(await owner.CreateInvite(roomId));
        Assert.True(await app.WithDb(db => db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == guestId)));
        Assert.False(await app.WithDb(db => db.RoomBans.AnyAsync(b => b.RoomId == roomId && b.UserId == guestId)));
    }

    [Fact]
    public async Task A_renamed_room_updates_the_header_of_open_pages()
    {
        var room = await RoomWith("Owner7", "Watcher7");
        await using var socket = await LiveSocket.Open(app, room.People[1].Visitor, room.Id);
        await socket.Resume(0);

        var saved = await room.People[0].Visitor.Submit($"/rooms/{room.Id}/settings", "Save changes",
            new Dictionary<string, string> { ["Input.Name"] = "Renamed <b>room</b>", ["Input.Description"] = "New words" });

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var header = (await socket.Collect(f => f.StartsWith("<header id=\"room-header\""), 1))[0];
        Assert.Contains("Renamed &lt;b&gt;room&lt;/b&gt;", header);
        Assert.Contains("New words", header);
        Assert.Equal("Renamed <b>room</b>", (await room.People[1].Visitor.Get($"/rooms/{room.Id}")).Document.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_bad_room_name_in_settings_is_explained_and_changes_nothing()
    {
        var room = await RoomWith("Owner8");

        var rejected = await room.People[0].Visitor.Submit($"/rooms/{room.Id}/settings", "Save changes",
            new Dictionary<string, string> { ["Input.Name"] = new string('n', 101) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.NotEmpty(rejected.ErrorFor("Input.Name"));
        Assert.Equal("Roles", (await app.WithDb(db => db.Rooms.SingleAsync(r => r.Id == room.Id))).Name);
    }

    private sealed record Person(Visitor Visitor, string UserId);

    private sealed record RoomOf(int Id, IReadOnlyList<Person> People);

    /// <summary>A private room owned by the first person, the others joined through an invitation.</summary>
    private async Task<RoomOf> RoomWith(params string[] names)
    {
        var people = new List<Person>();
        foreach (var name in names)
        {
            var (visitor, email) = await app.SignedInPerson(name);
            people.Add(new Person(visitor, await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync())));
        }
        var roomId = await people[0].Visitor.CreateRoom("Roles");
        var invite = await people[0].Visitor.CreateInvite(roomId);
        foreach (var person in people.Skip(1))
            await person.Visitor.AcceptInvite(invite);
        return new RoomOf(roomId, people);
    }

    /// <summary>Presses a button on the settings page (the first person it applies to).</summary>
    private static async Task Act(Person actor, int roomId, string button)
    {
        var page = await actor.Visitor.Get($"/rooms/{roomId}/settings");
        var done = await page.Submit(actor.Visitor, button, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
    }

    private Task<Dictionary<string, RoomRole>> Roles(int roomId) =>
        app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId).ToDictionaryAsync(m => m.UserId, m => m.Role));

    private static Dictionary<string, string> Fields(string token, params (string Name, string Value)[] fields) =>
        fields.Append(("__RequestVerificationToken", token)).ToDictionary(f => f.Item1, f => f.Item2);
}
