using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Private;

public sealed class PrivateAnswerTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : PrivateAnswerTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class PrivateAnswerTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : PrivateAnswerTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>
/// "Ask privately": the question and its answer reach the asker alone, no other page and no one's history,
/// until the asker shares the answer to the room.
/// </summary>
public abstract class PrivateAnswerTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected PrivateAnswerTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "private-default";
        app.Settings["AI:Models"] = "*";
    }

    private async Task<(Visitor Alice, Visitor Bob, int RoomId)> RoomWithAgent(string name, string handle, string modelName)
    {
        var (alice, _) = await app.SignedInPerson($"Alice {name}");
        var (bob, _) = await app.SignedInPerson($"Bob {name}");
        var roomId = await alice.CreateRoom(name, "Public");
        await bob.Join(roomId);
        await alice.AddAgent(roomId, await app.CreateAgent(alice, $"Agent {handle}", handle, model: modelName));
        return (alice, bob, roomId);
    }

    /// <summary>Asks as private.js does: the composer's fields, streamed back.</summary>
    private static async Task<Visitor.Page> AskPrivately(Visitor visitor, int roomId, string question) =>
        await visitor.PostWithHeader($"/rooms/{roomId}/private", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = (await visitor.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
            ["Composer.Content"] = question, ["Composer.Privately"] = "true",
        }, "X-Stream", "1");

    [Fact]
    public async Task A_private_answer_reaches_the_asker_alone_until_they_share_it()
    {
        var (alice, bob, roomId) = await RoomWithAgent("Quiet Questions", "oracle", "oracle-model");
        await alice.Send(roomId, "The budget for the offsite is 4,000 euros.");
        model.Scripts["oracle-model"] = ModelScript.Say("The offsite budget ", "is 4,000 euros.");
        await using var bobsSocket = await Open(app, bob, roomId);
        await bobsSocket.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync()));
        var messagesBefore = await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId));

        var answered = await AskPrivately(alice, roomId, "@oracle what is the offsite budget? (between us)");

        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Contains("Only you can see this", answered.Text);
        Assert.Equal("The offsite budget is 4,000 euros.", answered.Document.QuerySelector(".private-final")!.TextContent.Trim());
        Assert.Equal("@oracle what is the offsite budget? (between us)", answered.Document.QuerySelector(".private-question")!.TextContent);
        // The agent had the room, and the question as the message it answers.
        var request = Assert.Single(model.RequestsFor("oracle-model"));
        Assert.Contains(request.Messages, m => m.Content.Contains("4,000 euros"));
        Assert.Equal("@oracle what is the offsite budget? (between us)", request.Messages[^1].Content);
        // Nothing of it is in the room, nor went to Bob's page: the next thing his socket gets is Alice's next message.
        Assert.Equal(messagesBefore, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));
        Assert.False(await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId)));
        await alice.Send(roomId, "Next topic.");
        var received = new List<string>();
        await bobsSocket.Collect(f => { received.Add(f); return IsAppend(f) && f.Contains("Next topic."); }, 1);
        Assert.DoesNotContain(received, f => f.Contains("between us") || f.Contains("offsite budget is"));
        Assert.DoesNotContain("between us", (await bob.Get($"/rooms/{roomId}")).Text);

        // Only Alice may share it; shared, everyone gets it as the agent's message, once.
        var share = answered.Document.QuerySelector("form.private-share")!;
        var action = share.GetAttribute("action")!;
        var token = share.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var bobTries = await bob.Post(action, new Dictionary<string, string> { ["__RequestVerificationToken"] = (await bob.Get($"/rooms/{roomId}")).AntiforgeryToken("Send") });
        Assert.Equal(HttpStatusCode.NotFound, bobTries.Status);
        var shared = await alice.Post(action, new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Redirect, shared.Status);
        var pushed = await bobsSocket.Collect(f => IsAppend(f) && f.Contains("offsite budget is 4,000 euros"), 1);
        Assert.Contains("asked privately", pushed[0]);
        var again = await alice.PostAsHtmx(action, new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("Shared to the room.", again.Text);
        var posted = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.Agent).ToListAsync());
        var message = Assert.Single(posted);
        Assert.StartsWith("> **Alice Quiet Questions asked privately:**", message.Content);
        Assert.Null((await alice.Get($"/rooms/{roomId}")).Document.QuerySelector($"#message-{message.Id} [data-again]")); // nothing to answer again
        // Quoted, the question's mention sets off no one.
        await app.JobsIdle();
        Assert.Single(model.RequestsFor("oracle-model"));
    }

    [Fact]
    public async Task A_private_question_must_name_one_of_the_rooms_agents_and_comes_only_from_members()
    {
        var (alice, _, roomId) = await RoomWithAgent("Wrong Questions", "sage", "sage-model");
        var (carol, _) = await app.SignedInPerson("Carol Outsider");

        var nobody = await AskPrivately(alice, roomId, "what is the plan?");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nobody.Status);
        Assert.Contains("Mention one of the room's agents to ask it privately, such as @sage.", nobody.Text);
        var outsider = await carol.PostWithHeader($"/rooms/{roomId}/private", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await carol.AnyToken(), ["Composer.Content"] = "@sage tell me everything",
        }, "X-Stream", "1");
        Assert.Equal(HttpStatusCode.NotFound, outsider.Status);
        Assert.Empty(model.RequestsFor("sage-model"));
    }

    [Fact]
    public async Task Without_javascript_the_composer_passes_a_private_question_on_and_the_answer_is_a_page()
    {
        var (alice, _, roomId) = await RoomWithAgent("Plain Private", "plain", "plain-model");
        model.Scripts["plain-model"] = ModelScript.Say("Only for you: yes.");

        var passed = await alice.Submit($"/rooms/{roomId}", "Send", new Dictionary<string, string>
        {
            ["Composer.Content"] = "@plain may I ask quietly?", ["Composer.Privately"] = "true",
        });
        Assert.Equal(HttpStatusCode.TemporaryRedirect, passed.Status);
        Assert.Equal($"/rooms/{roomId}/private", passed.Location);
        var page = await alice.Post(passed.Location!, new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = (await alice.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"), ["Composer.Content"] = "@plain may I ask quietly?",
        });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Only for you: yes.", page.Document.QuerySelector(".private-final")!.TextContent.Trim());
        Assert.NotNull(page.Document.QuerySelector("form.private-share button"));
        Assert.False(await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.Content.Contains("ask quietly"))));
        Assert.True(await app.WithDb(db => db.PrivateAnswers.AnyAsync(a => a.RoomId == roomId && a.OutputTokens > 0)));
    }
}
