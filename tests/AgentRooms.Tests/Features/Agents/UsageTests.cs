using System.Net;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Agents;

public sealed class UsageTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : UsageTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class UsageTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : UsageTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>Tokens counted per reply (as the model reports them, or counted here), shown, summed on /usage, and held to daily budgets.</summary>
public abstract class UsageTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected UsageTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "usage-default";
        app.Settings["AI:DailyTokensPerPerson"] = "1000";
        model.Default = ModelScript.Say("Hello from the model.");
    }

    private async Task<AgentReply> Answered(int roomId, int count)
    {
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.CountAsync(r => r.TriggerMessage!.RoomId == roomId
            && r.Status != AgentReplyStatus.Pending && r.Status != AgentReplyStatus.Running && r.ReplyMessageId != null)) == count, what: $"{count} replies");
        return await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).Where(r => r.TriggerMessage!.RoomId == roomId).OrderByDescending(r => r.Id).FirstAsync());
    }

    [Fact]
    public async Task A_reply_records_the_tokens_the_model_reports_and_shows_them()
    {
        var (alice, _) = await app.SignedInPerson("Alice Counts");
        var roomId = await alice.CreateRoom("Counting");
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Meter", "meter", model: "reporting-model"));
        model.Scripts["reporting-model"] = ModelScript.Say("Forty-two.") with { Usage = (120, 30) };

        await alice.Send(roomId, "@meter how much?");
        var reply = await Answered(roomId, 1);

        Assert.True(Assert.Single(model.RequestsFor("reporting-model")).AskedForUsage);
        Assert.Equal((120, 30, "reporting-model", false), (reply.InputTokens, reply.OutputTokens, reply.UsageModel, reply.TokensEstimated));
        var shown = (await alice.Get($"/rooms/{roomId}")).Document.QuerySelector($"#message-{reply.ReplyMessageId} .reply-usage")!;
        Assert.Equal("150 tokens", shown.TextContent);
        Assert.Equal("120 tokens in, 30 out · reporting-model", shown.GetAttribute("title"));
    }

    [Theory]
    [InlineData("gpt-4o-mini", 5)] // o200k: "Hello", " from", " the", " model", "."
    [InlineData("llama-local", 7)] // a token for every three characters, rounded up
    public async Task Where_the_model_reports_nothing_the_tokens_are_counted_here(string modelName, int outputTokens)
    {
        var (alice, _) = await app.SignedInPerson($"Alice Estimates {modelName}");
        var roomId = await alice.CreateRoom("Estimating");
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Guess", $"guess-{modelName[..3]}", model: modelName));

        await alice.Send(roomId, $"@guess-{modelName[..3]} say hello");
        var reply = await Answered(roomId, 1);

        Assert.True(reply.TokensEstimated);
        Assert.Equal(outputTokens, reply.OutputTokens);
        Assert.True(reply.InputTokens > 10, $"the prompt and the message count ({reply.InputTokens})");
        Assert.Contains("counted here", (await alice.Get($"/rooms/{roomId}")).Document.QuerySelector($"#message-{reply.ReplyMessageId} .reply-usage")!.GetAttribute("title"));
    }

    [Fact]
    public async Task Past_a_persons_daily_budget_a_mention_is_refused_at_once_and_the_model_is_not_asked()
    {
        var (alice, _) = await app.SignedInPerson("Alice Spends");
        var (bob, _) = await app.SignedInPerson("Bob Spends");
        var roomId = await alice.CreateRoom("Spending", "Public");
        await bob.Join(roomId);
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Spender", "spender", model: "costly-model"));
        model.Scripts["costly-model"] = ModelScript.Say("A long answer.") with { Usage = (900, 200) };

        await alice.Send(roomId, "@spender first question");
        await Answered(roomId, 1);
        await alice.Send(roomId, "@spender second question");
        var refused = await Answered(roomId, 2);

        Assert.Single(model.RequestsFor("costly-model"));
        Assert.Equal(AgentReplyStatus.Failed, refused.Status);
        Assert.Equal(0, refused.Tokens);
        Assert.Contains("you've used today's 1,000 tokens", refused.ReplyMessage!.Content);
        Assert.Contains("resets at midnight UTC", refused.ReplyMessage.Content);
        // Bob's budget is his own.
        await bob.Send(roomId, "@spender my question");
        Assert.Equal(AgentReplyStatus.Done, (await Answered(roomId, 3)).Status);
        Assert.Equal(2, model.RequestsFor("costly-model").Count);
    }

    [Fact]
    public async Task An_agents_owner_caps_its_day_and_past_it_it_says_so_whoever_asks()
    {
        var (owner, _) = await app.SignedInPerson("Olga Owner");
        var (bob, _) = await app.SignedInPerson("Bob Asks");
        var roomId = await owner.CreateRoom("Capped", "Public");
        await bob.Join(roomId);
        var agentId = await app.CreateAgent(owner, "Frugal", "frugal", model: "capped-model");
        await owner.AddAgent(roomId, agentId);
        var refusedLimit = await owner.Submit($"/agents/{agentId}/edit", "Save agent", new Dictionary<string, string> { ["Input.DailyTokenLimit"] = "5" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedLimit.Status);
        Assert.Contains("from 100 to", refusedLimit.ErrorFor("Input.DailyTokenLimit"));
        Assert.Equal(HttpStatusCode.Redirect, (await owner.Submit($"/agents/{agentId}/edit", "Save agent", new Dictionary<string, string> { ["Input.DailyTokenLimit"] = "150" })).Status);
        model.Scripts["capped-model"] = ModelScript.Say("Sure.") with { Usage = (100, 60) };

        await owner.Send(roomId, "@frugal one");
        await Answered(roomId, 1);
        await bob.Send(roomId, "@frugal two");
        var refused = await Answered(roomId, 2);

        Assert.Single(model.RequestsFor("capped-model"));
        Assert.Contains("I've used today's 150 tokens, the daily limit my owner set", refused.ReplyMessage!.Content);
    }

    [Fact]
    public async Task Usage_shows_ones_own_by_day_agent_and_room_and_everyones_only_to_the_site_administrator()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Alice Reads Usage");
        var (bob, _) = await app.SignedInPerson("Bob Reads Usage");
        var roomId = await alice.CreateRoom("Usage room");
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Tally", "tally", model: "tally-model"));
        model.Scripts["tally-model"] = ModelScript.Say("Counted.") with { Usage = (40, 2) };
        await alice.Send(roomId, "@tally count");
        await Answered(roomId, 1);

        var mine = await alice.Get("/usage");
        Assert.Equal(HttpStatusCode.OK, mine.Status);
        var byAgent = mine.Document.QuerySelectorAll("table").Single(t => t.QuerySelector("caption")!.TextContent == "By agent");
        Assert.Equal(["🦉 Tally", "1", "40", "2", "42"], byAgent.QuerySelectorAll("tbody tr").Single().Children.Select(c => c.TextContent.Trim()));
        var byRoom = mine.Document.QuerySelectorAll("table").Single(t => t.QuerySelector("caption")!.TextContent == "By room");
        Assert.Equal("Usage room", byRoom.QuerySelector("tbody th")!.TextContent);
        Assert.Contains("Today you've used 42 tokens of your 1,000 a day", mine.Text);

        Assert.Contains("No agent has answered you", (await bob.Get("/usage")).Text);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Get("/usage?everyone=true")).Status);
        await app.WithDb(db => db.Users.Where(u => u.Email == aliceEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, true)));
        await alice.SignOut();
        await alice.SignIn(aliceEmail);
        var everyone = await alice.Get("/usage?everyone=true");
        var byPerson = everyone.Document.QuerySelectorAll("table").Single(t => t.QuerySelector("caption")!.TextContent == "By person");
        Assert.Contains(byPerson.QuerySelectorAll("tbody th"), th => th.TextContent == "Alice Reads Usage");
    }
}
