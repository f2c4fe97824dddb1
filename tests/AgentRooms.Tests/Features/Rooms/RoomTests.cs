using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Rooms;

public sealed class RoomTestsOnSqlite(SqliteAppFactory app) : RoomTests(app), IClassFixture<SqliteAppFactory>;

public sealed class RoomTestsOnMariaDb(MariaDbAppFactory app) : RoomTests(app), IClassFixture<MariaDbAppFactory>;

public abstract class RoomTests(AppFactory app)
{
    [Fact]
    public async Task A_person_creates_a_room_and_owns_it()
    {
        var (owner, email) = await app.SignedInPerson("Olive");

        var roomId = await owner.CreateRoom("Book club", "Public");

        var page = await owner.Get($"/rooms/{roomId}");
        Assert.Equal("Book club", page.Document.QuerySelector("h1")?.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[role=log][aria-label=Messages]"));
        var member = await app.WithDb(db => db.RoomMembers.Include(m => m.User).SingleAsync(m => m.RoomId == roomId));
        Assert.Equal(email, member.User!.Email);
        Assert.Equal(RoomRole.Owner, member.Role);
        var list = await owner.Get("/rooms");
        Assert.Contains("Book club", list.Document.QuerySelector("[aria-label='Your rooms']")!.TextContent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901")]
    [InlineData("Two\nlines")]
    [InlineData("Bell\u0007 and tab\t")]
    public async Task A_bad_room_name_is_explained_beside_the_field(string name)
    {
        var (owner, _) = await app.SignedInPerson("Namer");
        var before = await app.WithDb(db => db.Rooms.CountAsync());

        var rejected = await owner.Submit("/rooms/new", "Create room",
            new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Description"] = "kept", ["Input.Visibility"] = "Public" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.NotEmpty(rejected.ErrorFor("Input.Name"));
        Assert.Equal("kept", rejected.Document.QuerySelector("textarea[name='Input.Description']")?.TextContent.Trim());
        Assert.Equal(before, await app.WithDb(db => db.Rooms.CountAsync()));
    }

    [Fact]
    public async Task Extra_fields_on_the_new_room_form_are_ignored()
    {
        var (owner, _) = await app.SignedInPerson("Overposter");
        var (other, otherEmail) = await app.SignedInPerson("Bystander");
        var otherId = await app.WithDb(db => db.Users.Where(u => u.Email == otherEmail).Select(u => u.Id).SingleAsync());

        var created = await owner.Post("/rooms/new", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await owner.AnyToken(),
            ["Input.Name"] = "Mine", ["Input.Visibility"] = "Private",
            ["Input.Role"] = "Member", ["Role"] = "Member",
            ["Input.CreatedById"] = otherId, ["CreatedById"] = otherId, ["CreatedBy"] = otherId,
            ["Input.Id"] = "4242", ["Id"] = "4242", ["OwnerId"] = otherId, ["IsAdmin"] = "true", ["Input.LastSeq"] = "99",
        });

        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var room = await app.WithDb(db => db.Rooms.Include(r => r.Members).OrderByDescending(r => r.Id).FirstAsync(r => r.Name == "Mine"));
        Assert.NotEqual(4242, room.Id);
        Assert.NotEqual(otherId, room.CreatedById);
        Assert.Equal(0, room.LastSeq);
        Assert.Equal(RoomRole.Owner, Assert.Single(room.Members).Role);
        other.Dispose();
    }

    [Fact]
    public async Task An_outsider_finds_nothing_of_a_private_room_the_same_as_a_missing_one()
    {
        var (owner, _) = await app.SignedInPerson("Keeper");
        var roomId = await owner.CreateRoom("Secret plans");
        await owner.Send(roomId, "the secret text");
        var (outsider, _) = await app.SignedInPerson("Outsider");

        var missing = await outsider.Get($"/rooms/{int.MaxValue - 1}");
        foreach (var path in new[] { $"/rooms/{roomId}", $"/rooms/{roomId}?before=2",
                     $"/rooms/{roomId}/messages/{await app.FirstMessageId(roomId)}" })
        {
            var page = await outsider.Get(path);
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Equal(missing.Text, page.Text);
            Assert.DoesNotContain("Secret plans", page.Text);
            Assert.DoesNotContain("secret text", page.Text);
        }
        var list = await outsider.Get("/rooms");
        Assert.DoesNotContain("Secret plans", list.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?handler=Send")]
    [InlineData("/settings")]
    [InlineData("/settings?handler=Nope")]
    public async Task A_post_no_handler_takes_answers_405_not_an_error(string rest)
    {
        var (alice, _) = await app.SignedInPerson("Oldlinks");
        var roomId = await alice.CreateRoom("Moved handlers");

        var post = await alice.Post($"/rooms/{roomId}{rest}", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await alice.AnyToken(), ["Composer.Content"] = "lost?", ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));
    }

    [Fact]
    public async Task Public_rooms_are_listed_for_joining_and_the_last_owner_cannot_leave()
    {
        var (owner, _) = await app.SignedInPerson("Host");
        var roomId = await owner.CreateRoom("Open house", "Public");
        var (guest, _) = await app.SignedInPerson("Guest");

        var list = await guest.Get("/rooms");
        Assert.Contains("Open house", list.Document.QuerySelector("[aria-label='Public rooms']")!.TextContent);
        await guest.Join(roomId);
        Assert.Contains("Open house", (await guest.Get("/rooms")).Document.QuerySelector("[aria-label='Your rooms']")!.TextContent);

        var guestLeaves = await (await guest.Get($"/rooms/{roomId}")).Submit(guest, "Leave room", new Dictionary<string, string>());
        var ownerLeaves = await (await owner.Get($"/rooms/{roomId}")).Submit(owner, "Leave room", new Dictionary<string, string>());

        Assert.Equal("/rooms", guestLeaves.Location);
        Assert.Equal($"/rooms/{roomId}", ownerLeaves.Location);
        Assert.Contains("only owner", (await owner.Get($"/rooms/{roomId}")).Text);
        var members = await app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId).ToListAsync());
        Assert.Equal(RoomRole.Owner, Assert.Single(members).Role);
    }

    [Fact]
    public async Task Joining_leaving_and_signing_out_cannot_happen_by_get()
    {
        var (owner, _) = await app.SignedInPerson("Getter");
        var roomId = await owner.CreateRoom("No gets", "Public");
        var (guest, _) = await app.SignedInPerson("Linkfollower");

        await guest.Get($"/rooms/{roomId}/membership?handler=Join");
        await owner.Get($"/rooms/{roomId}/membership?handler=Leave");

        Assert.Equal(1, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == roomId)));
    }

    [Fact]
    public async Task Names_holding_html_are_escaped_in_pages_and_titles()
    {
        var (owner, _) = await app.SignedInPerson("<img src=x onerror=alert(1)>");
        var roomId = await owner.CreateRoom("<script>alert('room')</script>");
        await owner.Send(roomId, "hello");

        var page = await owner.Get($"/rooms/{roomId}");
        var html = await page.Response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Equal("<script>alert('room')</script> · AgentRooms", page.Document.Title);
        Assert.Equal("<script>alert('room')</script>", page.Document.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task The_room_shows_the_latest_50_and_older_ones_through_a_plain_link()
    {
        var (alice, _) = await app.SignedInPerson("Historian");
        var roomId = await alice.CreateRoom("Long history");
        await app.WithDb(async db =>
        {
            var userId = await db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).SingleAsync();
            for (var seq = 1; seq <= 60; seq++)
                db.Messages.Add(new Message { RoomId = roomId, Seq = seq, SenderUserId = userId, Content = $"entry {seq}" });
            (await db.Rooms.SingleAsync(r => r.Id == roomId)).LastSeq = 60;
            return await db.SaveChangesAsync();
        });

        var latest = await alice.Get($"/rooms/{roomId}");
        var shown = latest.Document.QuerySelectorAll("#messages article").Select(a => a.QuerySelector(".message-body")!.TextContent.Trim()).ToList();
        Assert.Equal(Enumerable.Range(11, 50).Select(i => $"entry {i}"), shown);
        var olderLink = latest.Document.QuerySelector("a#older")!;
        Assert.Equal("Load older messages", olderLink.TextContent);

        var older = await alice.Get(olderLink.GetAttribute("href")!);
        var olderShown = older.Document.QuerySelectorAll("#messages article").Select(a => a.QuerySelector(".message-body")!.TextContent.Trim()).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"entry {i}"), olderShown);
        Assert.Null(older.Document.QuerySelector("a#older"));
        Assert.Null(latest.Document.QuerySelector("nav[aria-label='Newer messages']"));
    }

    [Fact]
    public async Task Older_pages_lead_back_to_newer_ones_and_the_latest_without_javascript()
    {
        var (alice, _) = await app.SignedInPerson("Timetraveller");
        var roomId = await alice.CreateRoom("Deep history");
        await app.WithDb(async db =>
        {
            var userId = await db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).SingleAsync();
            for (var seq = 1; seq <= 130; seq++)
                db.Messages.Add(new Message { RoomId = roomId, Seq = seq, SenderUserId = userId, Content = $"entry {seq}" });
            (await db.Rooms.SingleAsync(r => r.Id == roomId)).LastSeq = 130;
            return await db.SaveChangesAsync();
        });
        static List<string> Shown(Visitor.Page page) =>
            page.Document.QuerySelectorAll("#messages article").Select(a => a.QuerySelector(".message-body")!.TextContent.Trim()).ToList();
        static string? Link(Visitor.Page page, string text) =>
            page.Document.QuerySelectorAll("nav[aria-label='Newer messages'] a").FirstOrDefault(a => a.TextContent == text)?.GetAttribute("href");

        var oldest = await alice.Get($"/rooms/{roomId}?before=11");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"entry {i}"), Shown(oldest));
        Assert.Equal($"/rooms/{roomId}#latest", Link(oldest, "Latest"));

        var newer = await alice.Get(Link(oldest, "Newer messages")!);
        Assert.Equal(Enumerable.Range(11, 50).Select(i => $"entry {i}"), Shown(newer));
        var newest = await alice.Get(Link(newer, "Newer messages")!);
        Assert.Equal(Enumerable.Range(61, 50).Select(i => $"entry {i}"), Shown(newest));
        // What follows 110 fits on the latest page: only "Latest" leads on.
        Assert.Null(Link(newest, "Newer messages"));
        var latest = await alice.Get(Link(newest, "Latest")!);
        Assert.Equal(Enumerable.Range(81, 50).Select(i => $"entry {i}"), Shown(latest));
    }

    [Fact]
    public async Task A_room_with_news_is_marked_unread_until_opened()
    {
        var (alice, _) = await app.SignedInPerson("Poster");
        var roomId = await alice.CreateRoom("Newsroom", "Public");
        var (bob, _) = await app.SignedInPerson("Reader");
        await bob.Join(roomId);
        await bob.Get($"/rooms/{roomId}");

        await alice.Send(roomId, "breaking news");
        var unread = await bob.Get("/rooms");
        await bob.Get($"/rooms/{roomId}");
        var read = await bob.Get("/rooms");

        Assert.Equal("1 new", unread.Document.QuerySelector("[aria-label='Your rooms'] .unread-mark")?.TextContent);
        Assert.Null(read.Document.QuerySelector("[aria-label='Your rooms'] .unread-mark"));
        Assert.Contains("2 members", read.Document.QuerySelector("[aria-label='Your rooms']")!.TextContent);
    }
}
