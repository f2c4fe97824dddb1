using System.Net;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it from a running node: the app's own counts (posts, deliveries,
/// open sockets, agent replies, tokens) with ASP.NET Core's, and only for the addresses allowed;
/// <c>/readyz</c> says the node can serve.
/// </summary>
public sealed class ObservabilityTests(SqliteAppFactory app, FakeModelServer model) : IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>
{
    [Fact]
    public async Task A_scrape_shows_posts_sockets_deliveries_agent_replies_and_tokens()
    {
        await app.WithDb(db => db.Database.CanConnectAsync());
        model.Scripts["metered-model"] = ModelScript.Say("Counted.") with { Usage = (120, 8) };
        using var node = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.metrics",
            new Dictionary<string, string> { ["AI__Endpoint"] = model.Endpoint, ["AI__Model"] = "metered-model" });
        using var person = Visitor.At(node.BaseUrl, new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await person.Register(People.NewEmail("metrics"), "Metered")).Status);
        var roomId = await person.CreateRoom("Measured");
        await person.AddAgent(roomId, await app.CreateAgent(person, "Meter", "meter"));
        using var socket = await LiveSocket.Connect(node.BaseUrl, person, roomId);

        await person.Send(roomId, "@meter count this");
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId && r.ReplyMessageId != null)),
            what: "the reply");

        using var scraper = new HttpClient();
        var metrics = "";
        await Eventually.True(async () =>
        {
            metrics = await scraper.GetStringAsync($"{node.BaseUrl}/metrics");
            return Scrape.Value(metrics, "agentrooms_agent_tokens_total", "kind=\"output\"") >= 8;
        }, what: "the reply's tokens in a scrape");
        Assert.True(Scrape.Value(metrics, "agentrooms_messages_posted_total") >= 2, "the message and the reply");
        Assert.Equal(1, Scrape.Value(metrics, "agentrooms_sockets_open"));
        Assert.True(Scrape.Value(metrics, "agentrooms_socket_deliveries_total") >= 2, "both messages went to the open socket");
        Assert.Equal(1, Scrape.Value(metrics, "agentrooms_agent_replies_total", "outcome=\"done\""));
        Assert.Equal(120, Scrape.Value(metrics, "agentrooms_agent_tokens_total", "kind=\"input\""));
        Assert.Equal(1, Scrape.Value(metrics, "agentrooms_agent_first_token_seconds_count"));
        Assert.Contains("http_server_request_duration_seconds_count", metrics);
        Assert.Contains("agentrooms_jobs_enqueued", metrics);
    }

    [Fact]
    public async Task Metrics_answer_only_the_allowed_addresses_and_readiness_says_the_node_can_serve()
    {
        await app.WithDb(db => db.Database.CanConnectAsync());
        using var node = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.allowed",
            new Dictionary<string, string> { ["Metrics__AllowedAddresses"] = "10.20.30.40" });
        using var client = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{node.BaseUrl}/metrics")).StatusCode);
        var ready = await client.GetAsync($"{node.BaseUrl}/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
    }
}
