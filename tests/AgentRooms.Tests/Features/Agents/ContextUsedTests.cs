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

/// <summary>Every agent reply says what it was given: "What this used" matches what the model was really sent.</summary>
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
        Assert.Equal("What this used", used.QuerySelector("summary")!.TextContent.Trim());
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

    [Fact]
    public async Task A_rooms_owner_holds_agents_to_fewer_tokens_and_keeps_files_and_other_agents_out()
    {
        var (alice, _) = await app.SignedInPerson("Alice Owns");
        var roomId = await alice.CreateRoom("Need to know", "Public");
        var (bob, _) = await app.SignedInPerson("Bob Member");
        await bob.Join(roomId);
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Echo", "echo", model: "echo-model"));
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Judge", "judge", model: "judge-model"));
        model.Scripts["echo-model"] = ModelScript.Say("Echo thinks the answer is purple.");
        model.Scripts["judge-model"] = ModelScript.Say("Judged.");
        await alice.Send(roomId, "@echo what colour?");
        await Eventually.True(async () => await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.Content.StartsWith("Echo thinks"))),
            TimeSpan.FromSeconds(30), "Echo's answer");

        // Only the owner decides; a wrong number is refused with the reason, and nothing changes.
        var form = $"/rooms/{roomId}/settings?handler=Context";
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await bob.Post(form, new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await bob.AnyToken(), ["tokens"] = "300",
        })).Status);
        var wrong = await alice.Post(form, new Dictionary<string, string> { ["__RequestVerificationToken"] = await alice.AnyToken(), ["tokens"] = "12" });
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Contains("A whole number of tokens from 256", wrong.Document.QuerySelector("#context-tokens-error")!.TextContent);
        Assert.Null(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.ContextTokens).SingleAsync()));
        var saved = await alice.Post(form, new Dictionary<string, string> { ["__RequestVerificationToken"] = await alice.AnyToken(), ["tokens"] = "300" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.Status);
        var settings = (await alice.Get($"/rooms/{roomId}/settings")).Document;
        Assert.Equal("300", settings.QuerySelector("#context-tokens")!.GetAttribute("value"));
        Assert.Null(settings.QuerySelector("input[name='files']")!.GetAttribute("checked"));

        for (var i = 1; i <= 12; i++)
            await alice.Send(roomId, $"Note {i}: " + string.Join(' ', Enumerable.Repeat("padding words here", 12)));
        var notes = await alice.Uploads(roomId, "secret-notes.txt", "The password is hunter2."u8.ToArray());
        await alice.SendFiles(roomId, "@judge what do you make of this?", notes);
        await Eventually.True(async () => await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.Content == "Judged.")),
            TimeSpan.FromSeconds(30), "the judge's answer");

        var request = Assert.Single(model.RequestsFor("judge-model"));
        var sent = string.Join("\n", request.Messages.Select(m => m.Content));
        Assert.DoesNotContain("purple", sent); // another agent's reply
        Assert.DoesNotContain("hunter2", sent); // the file is named, not read
        Assert.Contains("[Attached: secret-notes.txt]", sent);
        Assert.Equal(["search_room"], request.Tools); // the room's history, not its files
        var messages = request.Messages.Where(m => m.Role is "user" or "assistant").ToList();
        Assert.InRange(messages.Count, 2, 5); // 300 tokens hold a few of the notes
        Assert.DoesNotContain("Note 1:", sent);
        var reply = await app.WithDb(db => db.AgentReplies.Where(r => r.TriggerMessage!.RoomId == roomId && r.Agent!.Handle == "judge").Select(r => r.ReplyMessageId).SingleAsync());
        var used = (await alice.Get($"/rooms/{roomId}")).Document.QuerySelector($"#message-{reply} .reply-used")!;
        Assert.StartsWith($"{messages.Count} messages of the room", used.QuerySelector("li")!.TextContent.Trim());
        Assert.DoesNotContain("Files:", used.TextContent);
    }

    private static string Shown(DateTime time) => time.ToString("d MMM, HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
