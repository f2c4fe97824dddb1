using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Security;

public sealed class ModelOutputTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : ModelOutputTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class ModelOutputTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : ModelOutputTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>What a model writes never breaks a page: a catch-up summary citing what it was not given still answers.</summary>
public abstract class ModelOutputTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected ModelOutputTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "output-default";
        app.Settings["Agents:SummaryModel"] = "output-summary";
    }

    [Fact]
    public async Task A_summary_citing_an_unknown_message_in_entity_form_still_answers_and_links_nothing_else()
    {
        var (alice, _) = await app.SignedInPerson("Alice Entity");
        var (bob, _) = await app.SignedInPerson("Bob Entity");
        var roomId = await alice.CreateRoom("Entity room", "Public");
        await bob.Join(roomId);
        await alice.Send(roomId, "Before you left");
        await bob.Get($"/rooms/{roomId}");
        foreach (var text in new[] { "One", "Two", "Three" })
            await alice.Send(roomId, text);
        var first = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == "One").Select(m => m.Id).SingleAsync());
        // Message text can steer a model into writing the marker itself, as entities the renderer decodes.
        model.Scripts["output-summary"] = ModelScript.Say($"First [#{first}]. See &#x27E6;999999&#x27E7; and &#10214;{first}&#10215;.");

        var summary = await (await bob.Get($"/rooms/{roomId}")).Submit(bob, "Summarize unread (3)", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, summary.Status);
        var final = summary.Document.QuerySelector(".catch-up-final")!;
        Assert.Contains($"/rooms/{roomId}?at={first}#message-{first}", final.QuerySelectorAll("a.citation").Select(a => a.GetAttribute("href")));
        Assert.DoesNotContain("999999", final.InnerHtml);
    }
}
