using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Agents;

public sealed class ContextUsedTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : ContextUsedTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class ContextUsedTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : ContextUsedTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>Every agent reply says what it was given: "What this reply used" matches what the model was really sent.</summary>
public abstract class ContextUsedTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected ContextUsedTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "used-default";
    }

    [Fact]
    public async Task What_this_reply_used_lists_exactly_the_messages_files_and_tokens_the_model_was_sent()
    {
        var (alice, _) = await app.SignedInPerson("Alice Audits");
        var roomId = await alice.CreateRoom("Audit trail");
        await alice.Send(roomId, "First, the budget is 40k.");
        await alice.Send(roomId, "Second, the deadline is May.");
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Auditor", "auditor", model: "auditor-model"));
        model.Scripts["auditor-model"] = ModelScript.Say("All in order.") with { Usage = (321, 12) };
        var notes = await alice.Uploads(roomId, "notes.txt", "Budget 40k, deadline May."u8.ToArray());
        await alice.SendFiles(roomId, "@auditor check these notes", notes);

        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId && r.ReplyMessageId != null)),
            TimeSpan.FromSeconds(30), "the reply");
        var reply = await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.TriggerMessage!.RoomId == roomId));
        var request = Assert.Single(model.RequestsFor("auditor-model"));
        var sent = request.Messages.Where(m => m.Role is "user" or "assistant").ToList();
        var times = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.User).OrderBy(m => m.Seq).Select(m => m.CreatedAt).ToListAsync());
        Assert.Equal(3, sent.Count);
        Assert.Contains("Budget 40k, deadline May.", sent[^1].Content); // the file went as text

        var page = await alice.Get($"/rooms/{roomId}");
        var used = page.Document.QuerySelector($"#message-{reply.ReplyMessageId} details.reply-used")!;
        Assert.Equal("What this reply used", used.QuerySelector("summary")!.TextContent.Trim());
        var lines = used.QuerySelectorAll("li").Select(li => string.Join(' ', li.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(
        [
            $"{sent.Count} messages of the room from {Shown(times[0])} UTC to {Shown(times[^1])} UTC",
            "Files: notes.txt",
            "321 tokens in, 12 out · auditor-model",
        ], lines);
        var stamps = used.QuerySelectorAll("time").Select(t => DateTime.Parse(t.GetAttribute("datetime")!, null, System.Globalization.DateTimeStyles.RoundtripKind)).ToList();
        Assert.Equal([times[0], times[^1]], stamps);
    }

    private static string Shown(DateTime time) => time.ToString("d MMM, HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
