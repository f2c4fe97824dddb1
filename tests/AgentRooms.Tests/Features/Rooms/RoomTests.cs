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
                     $"/rooms/{roomId}/messages/{await FirstMessageId(roomId)}" })
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

    [Fact]
    public async Task An_outsider_cannot_post_edit_or_delete_with_their_own_valid_token()
    {
        var (owner, _) = await app.SignedInPerson("Holder");
        var roomId = await owner.CreateRoom("Closed");
        await owner.Send(roomId, "original");
        var messageId = await FirstMessageId(roomId);
        var (outsider, _) = await app.SignedInPerson("Intruder");
        var token = await outsider.AnyToken();

        var post = await outsider.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Composer.Content"] = "intrusion", ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
        });
        var edit = await outsider.Post($"/rooms/{roomId}/messages/{messageId}?handler=Edit",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Content"] = "defaced" });
        var delete = await outsider.Post($"/rooms/{roomId}/messages/{messageId}?handler=Delete",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { post.Status, edit.Status, delete.Status });
        var messages = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).ToListAsync());
        var only = Assert.Single(messages);
        Assert.Equal("original", only.Content);
        Assert.Null(only.DeletedAt);
    }

    [Fact]
    public async Task A_message_of_another_room_is_not_reachable_through_my_room()
    {
        var (alice, _) = await app.SignedInPerson("Scoped");
        var mine = await alice.CreateRoom("Mine");
        var (bob, _) = await app.SignedInPerson("Elsewhere");
        var theirs = await bob.CreateRoom("Theirs");
        await bob.Send(theirs, "not yours");
        var theirMessage = await FirstMessageId(theirs);

        var read = await alice.Get($"/rooms/{mine}/messages/{theirMessage}");
        var delete = await alice.Post($"/rooms/{mine}/messages/{theirMessage}?handler=Delete",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await alice.AnyToken() });

        Assert.Equal(HttpStatusCode.NotFound, read.Status);
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
        Assert.Null((await app.WithDb(db => db.Messages.SingleAsync(m => m.Id == theirMessage))).DeletedAt);
    }

    [Fact]
    public async Task Members_change_only_their_own_messages_and_owners_may_delete_but_not_edit()
    {
        var (owner, _) = await app.SignedInPerson("Boss");
        var roomId = await owner.CreateRoom("Office", "Public");
        var (member, _) = await app.SignedInPerson("Worker");
        await member.Join(roomId);
        await owner.Send(roomId, "owner's words");
        await member.Send(roomId, "member's words");
        var ids = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind != MessageKind.System).OrderBy(m => m.Seq).Select(m => m.Id).ToListAsync());
        var (ownersMessage, membersMessage) = (ids[0], ids[1]);

        var memberEditsOwner = await member.Post($"/rooms/{roomId}/messages/{ownersMessage}?handler=Edit",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await member.AnyToken(), ["Content"] = "hijacked" });
        var memberDeletesOwner = await member.Post($"/rooms/{roomId}/messages/{ownersMessage}?handler=Delete",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await member.AnyToken() });
        var ownerEditsMember = await owner.Post($"/rooms/{roomId}/messages/{membersMessage}?handler=Edit",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = await owner.AnyToken(), ["Content"] = "put words in mouth" });
        var memberEditsOwn = await member.Submit($"/rooms/{roomId}/messages/{membersMessage}", "Save",
            new Dictionary<string, string> { ["Content"] = "member's better words" });
        var ownerDeletesMember = await owner.Submit($"/rooms/{roomId}/messages/{membersMessage}", "Delete", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Forbidden, memberEditsOwner.Status);
        Assert.Equal(HttpStatusCode.Forbidden, memberDeletesOwner.Status);
        Assert.Equal(HttpStatusCode.Forbidden, ownerEditsMember.Status);
        Assert.Equal(HttpStatusCode.Redirect, memberEditsOwn.Status);
        Assert.Equal(HttpStatusCode.Redirect, ownerDeletesMember.Status);
        var messages = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind != MessageKind.System).OrderBy(m => m.Seq).ToListAsync());
        Assert.Equal("owner's words", messages[0].Content);
        Assert.Null(messages[0].DeletedAt);
        Assert.NotNull(messages[1].EditedAt);
        Assert.NotNull(messages[1].DeletedAt);
        var page = await member.Get($"/rooms/{roomId}");
        Assert.Contains("This message was deleted.", page.Text);
        Assert.DoesNotContain("better words", page.Text);
    }

    [Fact]
    public async Task A_posted_message_belongs_to_the_sender_and_the_routes_room_whatever_the_body_says()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Sender");
        var roomId = await alice.CreateRoom("Here");
        var otherRoom = await alice.CreateRoom("There");
        var (bob, bobEmail) = await app.SignedInPerson("Impersonated");
        var bobId = await app.WithDb(db => db.Users.Where(u => u.Email == bobEmail).Select(u => u.Id).SingleAsync());

        var posted = await alice.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await alice.AnyToken(),
            ["Composer.Content"] = "who sent me?", ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
            ["id"] = otherRoom.ToString(), ["RoomId"] = otherRoom.ToString(), ["Composer.RoomId"] = otherRoom.ToString(),
            ["SenderUserId"] = bobId, ["Composer.SenderUserId"] = bobId,
            ["Kind"] = "Agent", ["Composer.Kind"] = "System", ["Seq"] = "77",
        });

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var message = await app.WithDb(db => db.Messages.Include(m => m.SenderUser).SingleAsync(m => m.Content == "who sent me?"));
        Assert.Equal(roomId, message.RoomId);
        Assert.Equal(aliceEmail, message.SenderUser!.Email);
        Assert.Equal(MessageKind.User, message.Kind);
        Assert.Equal(1, message.Seq);
        bob.Dispose();
    }

    [Fact]
    public async Task The_same_send_repeated_or_raced_makes_one_message()
    {
        var (alice, _) = await app.SignedInPerson("Doubleclicker");
        var roomId = await alice.CreateRoom("Once");
        var token = await alice.AnyToken();
        var clientId = Guid.NewGuid();
        Task<Visitor.Page> Send() => alice.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Composer.Content"] = "only once", ["Composer.ClientMessageId"] = clientId.ToString(),
        });

        var first = await Send();
        var again = await Send();
        var raced = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Send()));

        Assert.All(raced.Append(first).Append(again), page => Assert.Equal(HttpStatusCode.Redirect, page.Status));
        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));
        Assert.Equal(1, (await app.WithDb(db => db.Rooms.SingleAsync(r => r.Id == roomId))).LastSeq);
    }

    [Fact]
    public async Task Concurrent_posts_get_gap_free_unique_seqs_in_commit_order()
    {
        var (alice, _) = await app.SignedInPerson("Crowd");
        var roomId = await alice.CreateRoom("Busy", "Public");
        var token = await alice.AnyToken();

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => alice.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Composer.Content"] = $"post {i}", ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
        })));

        var seqs = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Id).Select(m => m.Seq).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seqs.Order());
        Assert.Equal(20, (await app.WithDb(db => db.Rooms.SingleAsync(r => r.Id == roomId))).LastSeq);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_empty_or_too_long_message_is_explained_and_the_draft_kept(string? content)
    {
        content ??= new string('x', Message.ContentMaxLength + 1);
        var (alice, _) = await app.SignedInPerson("Drafter");
        var roomId = await alice.CreateRoom("Drafts");

        var rejected = await alice.Send(roomId, content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.NotEmpty(rejected.ErrorFor("Composer.Content"));
        // Whitespace alone is no draft worth keeping; anything else comes back as typed.
        Assert.Equal(content.Trim(), rejected.Document.QuerySelector("textarea[name='Composer.Content']")!.TextContent.Trim());
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));
    }

    [Fact]
    public async Task A_scripted_send_answers_204_leaving_the_composer_as_the_person_left_it()
    {
        var (alice, _) = await app.SignedInPerson("Htmxer");
        var roomId = await alice.CreateRoom("Fragments");
        var page = await alice.Get($"/rooms/{roomId}");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{roomId}/messages")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = page.AntiforgeryToken("Send"),
                ["Composer.Content"] = "via script",
                ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
            }),
        };
        request.Headers.Add("HX-Request", "true");

        var response = await alice.Client.SendAsync(request);

        // The message reaches the page over its socket; nothing comes back to swap in.
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Content == "via script")));
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
        Assert.Equal($"/rooms/{roomId}", Link(oldest, "Latest"));

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

    private Task<long> FirstMessageId(int roomId) =>
        app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).Select(m => m.Id).FirstAsync());
}
