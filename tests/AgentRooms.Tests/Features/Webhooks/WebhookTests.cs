using System.Net;
using System.Text;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Webhooks;

public sealed class WebhookTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : WebhookTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class WebhookTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : WebhookTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>
/// Incoming webhooks: the room's owners and admins make a secret address (shown once) that other tools post
/// JSON to, Slack's way; each post is a message of the webhook's integration, live, and sets off agents.
/// </summary>
public abstract class WebhookTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected WebhookTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "webhook-default";
    }

    /// <summary>A post from another tool: no cookie, no token, just the address and JSON.</summary>
    private async Task<(HttpStatusCode Status, string Text)> Hook(string url, string body)
    {
        using var outside = app.NewVisitor();
        using var response = await outside.Client.PostAsync(new Uri(url).PathAndQuery, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(Visitor Owner, Visitor Member, int RoomId, string Url)> RoomWithWebhook(string room, string name)
    {
        var (owner, _) = await app.SignedInPerson($"{room} Owner");
        var (member, _) = await app.SignedInPerson($"{room} Member");
        var roomId = await owner.CreateRoom(room, "Public");
        await member.Join(roomId);
        var created = await owner.Submit($"/rooms/{roomId}/settings", "Create webhook", new Dictionary<string, string> { ["name"] = name });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var url = created.Document.QuerySelector("#webhook-url")!.GetAttribute("value")!;
        Assert.Matches("^http://localhost/hooks/[0-9a-f]{64}$", url);
        return (owner, member, roomId, url);
    }

    [Fact]
    public async Task A_tool_posts_through_the_webhook_live_as_its_integration_and_mentions_set_off_agents()
    {
        var (owner, member, roomId, url) = await RoomWithWebhook("Deploy Room", "Deploys");
        await owner.AddAgent(roomId, await app.CreateAgent(owner, "Release helper", "releasehelper", model: "webhook-model"));
        model.Scripts["webhook-model"] = ModelScript.Say("Release notes drafted.");
        await using var membersPage = await Open(app, member, roomId);
        await membersPage.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync()));

        Assert.Equal((HttpStatusCode.OK, "ok"), await Hook(url, """{"text": "Deployed **v2.3** to production. @releasehelper draft the notes"}"""));

        var pushed = await membersPage.Collect(f => IsAppend(f) && f.Contains("Deployed <strong>v2.3</strong>"), 1);
        Assert.Contains(">Deploys<", pushed[0]);
        Assert.Contains("integration", pushed[0]);
        var message = await app.WithDb(db => db.Messages.Include(m => m.SenderUser).SingleAsync(m => m.RoomId == roomId && m.Content.StartsWith("Deployed")));
        Assert.True(message.SenderUser!.IsIntegration);
        Assert.Equal("Deploys", message.SenderUser.DisplayName);
        await app.AnsweredIn(roomId);
        Assert.Contains("draft the notes", Assert.Single(model.RequestsFor("webhook-model")).Conversation);
        // The integration is nobody to talk to: not among the people, no "Message" on its posts.
        var page = await member.Get($"/rooms/{roomId}");
        Assert.DoesNotContain("Deploys", page.Document.QuerySelector("#members")!.TextContent);
        Assert.Null(page.Document.QuerySelector($"#message-{message.Id} [data-message-author]"));
        // Nobody signs in as it.
        Assert.Null(message.SenderUser.Email);
        Assert.Null(message.SenderUser.PasswordHash);
    }

    [Fact]
    public async Task Bad_posts_are_refused_with_a_reason_and_a_revoked_or_unknown_address_posts_nothing()
    {
        var (owner, member, roomId, url) = await RoomWithWebhook("Noisy Room", "Monitor");
        var before = await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId));

        Assert.Equal(HttpStatusCode.BadRequest, (await Hook(url, "not json")).Status);
        Assert.Equal((HttpStatusCode.BadRequest, "no_text"), await Hook(url, """{"text": "   "}"""));
        Assert.Equal(HttpStatusCode.BadRequest, (await Hook(url, $$"""{"text": "{{new string('x', 4001)}}"}""")).Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Hook(url, $$"""{"text": "{{new string('x', 70_000)}}"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Hook(url[..^4] + "0000", """{"text": "guess"}""")).Status);
        Assert.Equal(before, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));

        // Only the room's owners and admins make them; a member is refused, an outsider does not see the room.
        var refused = await member.Post($"/rooms/{roomId}/webhooks?handler=Create", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await member.AnyToken(), ["name"] = "Sneaky",
        });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        var named = await owner.Submit($"/rooms/{roomId}/webhooks", "Create webhook", new Dictionary<string, string> { ["name"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, named.Status);
        Assert.Contains("Name the webhook", named.Text);

        // An archived room refuses it; revoked, the address is dead.
        await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.ArchivedAt, DateTime.UtcNow)));
        Assert.Equal((HttpStatusCode.Conflict, "room_archived"), await Hook(url, """{"text": "still there?"}"""));
        await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.ArchivedAt, (DateTime?)null)));
        var list = await owner.Get($"/rooms/{roomId}/webhooks");
        Assert.Contains("Monitor", list.Document.QuerySelector("[aria-label='Webhooks']")!.TextContent);
        Assert.DoesNotContain(url, list.Text); // shown once, never again
        Assert.Equal(HttpStatusCode.OK, (await list.Submit(owner, "Revoke", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Hook(url, """{"text": "after revoke"}""")).Status);
        Assert.Equal(before, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));
        Assert.False(await app.WithDb(db => db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.User!.IsIntegration)));
    }
}
