using System.Text;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Attachments;

public sealed class AgentFileTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : AgentFileTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class AgentFileTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : AgentFileTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>Agents see what is shared with them: images to a model that sees them, text files as text, the rest named.</summary>
public abstract class AgentFileTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected AgentFileTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "files-default";
        // AI:Models in its list form: one model that sees images, any other allowed without.
        app.Settings["AI:Models"] = "";
        app.Settings["AI:Models:0:Name"] = "vision-model";
        app.Settings["AI:Models:0:Images"] = "true";
        app.Settings["AI:Models:1:Name"] = "*";
        model.Default = ModelScript.Say("Noted.");
    }

    private async Task WaitForReplies(int roomId, int count) =>
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.CountAsync(r => r.TriggerMessage!.RoomId == roomId
            && (r.Status == AgentReplyStatus.Done || r.Status == AgentReplyStatus.Failed))) == count, what: $"{count} replies");

    [Fact]
    public async Task An_agent_whose_model_sees_images_is_shown_them_and_one_that_does_not_is_told_what_it_cannot_see()
    {
        var (alice, _) = await app.SignedInPerson("Alice Shows");
        var roomId = await alice.CreateRoom("Show the agents");
        var iris = await app.CreateAgent(alice, "Iris", "iris", model: "vision-model");
        var blind = await app.CreateAgent(alice, "Homer", "homer", model: "text-model");
        await alice.AddAgent(roomId, iris);
        await alice.AddAgent(roomId, blind);
        model.Scripts["vision-model"] = ModelScript.Say("A gold circle on blue.");

        var earlier = await alice.Uploads(roomId, "old.png", TestImages.Png(100, 100));
        await alice.SendFiles(roomId, "an older picture", earlier);
        var photo = await alice.Uploads(roomId, "photo.png", TestImages.Png(2400, 1200));
        var notes = await alice.Uploads(roomId, "notes.txt", Encoding.UTF8.GetBytes("The budget is 42 euros."));
        var report = await alice.Uploads(roomId, "report.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));
        await alice.SendFiles(roomId, "@iris @homer what is in this picture?", photo, notes, report);
        await WaitForReplies(roomId, 2);

        var seen = Assert.Single(model.RequestsFor("vision-model")).Messages[^1];
        Assert.Equal("user", seen.Role);
        var (mediaType, bytes) = Assert.Single(seen.Images);
        Assert.Equal("image/jpeg", mediaType);
        // Scaled to fit the bound (1024 a side), its proportions kept.
        Assert.Equal((1024, 512), TestImages.SizeOf(bytes));
        Assert.Contains("what is in this picture?", seen.Content);
        Assert.Contains("[Image photo.png]", seen.Content);
        Assert.Contains("The budget is 42 euros.", seen.Content);
        Assert.Contains("[Attached, which you cannot see: report.pdf (PDF document)]", seen.Content);
        // An earlier message's files are only named.
        var older = Assert.Single(model.RequestsFor("vision-model")[0].Messages, m => m.Content.Contains("an older picture"));
        Assert.Empty(older.Images);
        Assert.Contains("[Attached: old.png]", older.Content);

        var told = Assert.Single(model.RequestsFor("text-model")).Messages[^1];
        Assert.Empty(told.Images);
        Assert.Contains("The budget is 42 euros.", told.Content);
        Assert.Contains("[Attached, which you cannot see: photo.png (PNG image), report.pdf (PDF document)]", told.Content);

        var answer = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.SenderAgentId == iris).Select(m => m.Content).SingleAsync());
        Assert.Equal("A gold circle on blue.", answer);

        // The people reading the answers are told what each agent could not see, beside its answer.
        var page = await alice.Get($"/rooms/{roomId}");
        string? NoteOf(int agentId) => page.Document.QuerySelectorAll("#messages article")
            .Single(a => a.QuerySelector(".message-author")?.TextContent == (agentId == iris ? "Iris" : "Homer")).QuerySelector(".reply-note")?.TextContent;
        Assert.Equal("Iris could not see: report.pdf (PDF document)", NoteOf(iris));
        Assert.Equal("Homer could not see: photo.png (PNG image), report.pdf (PDF document)", NoteOf(blind));
    }
}
