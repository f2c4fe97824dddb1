using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Messages;

public sealed class MessageTestsOnSqlite(SqliteAppFactory app) : MessageTests(app), IClassFixture<SqliteAppFactory>;

public sealed class MessageTestsOnMariaDb(MariaDbAppFactory app) : MessageTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Posting, editing and deleting messages through the room's forms: who may, where it lands, once and in order, and what a refusal says.</summary>
public abstract class MessageTests(AppFactory app)
{
    [Fact]
    public async Task An_outsider_cannot_post_edit_or_delete_with_their_own_valid_token()
    {
        var (owner, _) = await app.SignedInPerson("Holder");
        var roomId = await owner.CreateRoom("Closed");
        await owner.Send(roomId, "original");
        var messageId = await app.FirstMessageId(roomId);
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
        var theirMessage = await app.FirstMessageId(theirs);

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
}
