using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Messages;

public sealed class PathologicalMessageTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : PathologicalMessageTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class PathologicalMessageTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : PathologicalMessageTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>Markdown nested past the parser's limits, from people and from models: the room keeps working.</summary>
public abstract class PathologicalMessageTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected PathologicalMessageTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "pathological-default";
        app.Settings["Agents:Deadline"] = "00:00:20";
    }

    [Fact]
    public async Task Messages_nested_past_the_parsers_limits_leave_the_room_page_and_its_socket_working()
    {
        var (alice, _) = await app.SignedInPerson("Nester");
        var roomId = await alice.CreateRoom("Deep nesting");
        var corpus = PathologicalMarkdown.Corpus;

        foreach (var text in corpus)
            Assert.Equal(HttpStatusCode.Redirect, (await alice.Send(roomId, text)).Status);
        await alice.Send(roomId, "still here");
        var firstId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Seq == 1).Select(m => m.Id).SingleAsync());
        var edit = await alice.Submit($"/rooms/{roomId}/messages/{firstId}", "Save", new Dictionary<string, string> { ["Content"] = corpus[4] });

        Assert.Equal(HttpStatusCode.Redirect, edit.Status);
        var page = await alice.Get($"/rooms/{roomId}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var articles = page.Document.QuerySelectorAll("#messages article");
        Assert.Equal(corpus.Length + 1, articles.Length);
        Assert.Contains("> > > > >", articles[0].TextContent); // the refused edit, shown as its text
        Assert.Equal(HttpStatusCode.OK, (await alice.Get($"/rooms/{roomId}/messages/{firstId}")).Status);

        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);
        var caughtUp = await socket.Collect(IsAppend, corpus.Length + 1);
        Assert.Contains("still here", caughtUp[^1]);
        await alice.Send(roomId, "and after");
        Assert.Contains("and after", (await socket.Collect(IsAppend, 1)).Single());
    }

    [Fact]
    public async Task A_model_streaming_markdown_nested_past_the_limits_ends_its_reply_and_the_room_works()
    {
        var (alice, _) = await app.SignedInPerson("Prompter");
        var roomId = await alice.CreateRoom("Deep answers");
        var deep = $"deep-{Guid.NewGuid():N}"[..20];
        var agent = await app.CreateAgent(alice, "Deep", deep, model: deep);
        await alice.AddAgent(roomId, agent);
        var text = string.Concat(Enumerable.Repeat("> - ", 1000));
        model.Scripts[deep] = new ModelScript { Chunks = text.Chunk(200).Select(c => new string(c)).ToArray(), BetweenChunks = TimeSpan.FromMilliseconds(30) };
        await using var socket = await LiveSocket.Open(app, alice, roomId);
        await socket.Resume(0);

        await alice.Send(roomId, $"@{deep} go deep");

        var final = (await socket.Collect(f => IsAppend(f) && f.Contains("message-agent"), 1, TimeSpan.FromSeconds(30))).Single();
        Assert.Contains("&gt; - &gt; - ", final);
        var reply = await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.AgentId == agent));
        Assert.Equal((ReplyState.Done, text), (reply.ReplyMessage!.ReplyState, reply.ReplyMessage.Content));
        Assert.Single(model.RequestsFor(deep));
        Assert.Equal(HttpStatusCode.OK, (await alice.Get($"/rooms/{roomId}")).Status);
    }
}
