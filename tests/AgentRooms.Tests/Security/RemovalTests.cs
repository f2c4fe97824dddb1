using System.Net;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Security;

public sealed class RemovalTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : RemovalTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class RemovalTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : RemovalTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>
/// A removal holds: the invitation the person came in by does not bring them back, an agent they could
/// use only through the room stops answering them (in their direct conversation too), and a reply they
/// set off that was still being written is not posted.
/// </summary>
public abstract class RemovalTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected RemovalTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "removal-default";
        app.Settings["AI:Models"] = "*";
    }

    private Task<string> IdOf(string email) => app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static async Task Remove(Visitor owner, int roomId, string userId)
    {
        var removed = await owner.Post($"/rooms/{roomId}/settings?handler=Remove", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await owner.AnyToken(), ["userId"] = userId,
        });
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
    }

    [Fact]
    public async Task A_removed_member_cannot_walk_back_in_with_the_invitation_they_used()
    {
        var (owner, _) = await app.SignedInPerson("Owner Olaf");
        var (mallory, malloryEmail) = await app.SignedInPerson("Mallory Returns");
        var roomId = await owner.CreateRoom("Closed circle");
        var invite = await owner.CreateInvite(roomId, maxUses: "");
        Assert.Equal(HttpStatusCode.Redirect, (await mallory.AcceptInvite(invite)).Status);
        await Remove(owner, roomId, await IdOf(malloryEmail));

        var again = await mallory.AcceptInvite(invite);

        Assert.Equal(HttpStatusCode.Forbidden, again.Status);
        Assert.Contains("You were removed from this room", again.Text);
        Assert.False(await app.WithDb(async db => await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.User!.Email == malloryEmail)));
        Assert.Equal(HttpStatusCode.NotFound, (await mallory.Get($"/rooms/{roomId}")).Status);

        // A link made after the removal is the room asking them back.
        Assert.Equal(HttpStatusCode.Redirect, (await mallory.AcceptInvite(await owner.CreateInvite(roomId))).Status);
        Assert.Equal(HttpStatusCode.OK, (await mallory.Get($"/rooms/{roomId}")).Status);
    }

    [Fact]
    public async Task A_private_agent_stops_answering_a_direct_conversation_once_its_asker_is_removed_from_the_shared_room()
    {
        var (owner, _) = await app.SignedInPerson("Agent Owner Otto");
        var (asker, askerEmail) = await app.SignedInPerson("Asker Anna");
        var roomId = await owner.CreateRoom("Shared with Otto's agent", "Public");
        await asker.Join(roomId);
        var agentId = await app.CreateAgent(owner, "Private Pip", "private-pip", model: "private-pip-model");
        await owner.AddAgent(roomId, agentId);
        model.Scripts["private-pip-model"] = ModelScript.Say("Pip here.");
        var started = await asker.Submit($"/direct/agent/{agentId}", "Start conversation", new Dictionary<string, string>());
        var direct = int.Parse(started.Location!.Split('/', '#')[2]);
        await asker.Send(direct, "Hello Pip");
        await Eventually.True(async () => await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == direct && m.Content == "Pip here.")), what: "the first answer");

        await Remove(owner, roomId, await IdOf(askerEmail));
        var asked = model.RequestsFor("private-pip-model").Count;
        await asker.Send(direct, "Still there, Pip?");

        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == direct
            && r.TriggerMessage.Content == "Still there, Pip?" && r.Status == AgentReplyStatus.Failed)), what: "the refusal");
        Assert.Equal(asked, model.RequestsFor("private-pip-model").Count);
        Assert.Contains("you no longer share a room with me", await app.WithDb(db => db.Messages
            .Where(m => m.RoomId == direct && m.Kind == MessageKind.Agent).OrderByDescending(m => m.Seq).Select(m => m.Content).FirstAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await asker.Get($"/direct/agent/{agentId}")).Status);
    }

    [Fact]
    public async Task A_reply_still_being_written_is_not_posted_once_whoever_asked_is_removed()
    {
        var (owner, _) = await app.SignedInPerson("Owner Ines");
        var (asker, askerEmail) = await app.SignedInPerson("Asker Bruno");
        var roomId = await owner.CreateRoom("Slow answers", "Public");
        await asker.Join(roomId);
        await owner.AddAgent(roomId, await app.CreateAgent(owner, "Slowpoke", "slowpoke", model: "slowpoke-model"));
        model.Scripts["slowpoke-model"] = ModelScript.Say("Thinking", " slowly", " about", " it", " now", " done.") with { BetweenChunks = TimeSpan.FromMilliseconds(400) };

        await asker.Send(roomId, "@slowpoke take your time");
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId && r.Status == AgentReplyStatus.Running)), what: "the reply running");
        await Remove(owner, roomId, await IdOf(askerEmail));

        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId && r.Status == AgentReplyStatus.Skipped)),
            TimeSpan.FromSeconds(30), "the reply dropped");
        Assert.False(await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
    }
}
