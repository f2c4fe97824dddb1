using System.Net;
using System.Net.WebSockets;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Security;

public sealed class ConcurrencyTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : ConcurrencyTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class ConcurrencyTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : ConcurrencyTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>
/// Limits that hold when everything arrives at once: the daily token budget (replies reserve before the
/// model is asked), the daily upload quota, the last site administrator, and the sockets one person may hold.
/// </summary>
public abstract class ConcurrencyTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected ConcurrencyTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "race-default";
        app.Settings["AI:Models"] = "*";
        app.Settings["AI:DailyTokensPerPerson"] = "12000";
        app.Settings["Attachments:DailyBytesPerPerson"] = "1048576";
        app.Settings["Realtime:SocketsPerPerson"] = "3";
    }

    [Fact]
    public async Task Mentions_sent_at_once_are_admitted_within_the_daily_budget_as_if_one_after_another()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Alice Races");
        var roomId = await alice.CreateRoom("Budget race");
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Spender", "race-spender", model: "race-model"));
        // Each answer costs 5,000 tokens, about what a reply may cost here; 12,000 a day lets three in, one after another.
        model.Scripts["race-model"] = ModelScript.Say("Costly.") with { Usage = (4000, 1000), Latency = TimeSpan.FromMilliseconds(500) };

        await Task.WhenAll(Enumerable.Range(1, 6).Select(i => alice.Send(roomId, $"@race-spender question {i}")));
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.CountAsync(r => r.TriggerMessage!.RoomId == roomId
            && (r.Status == AgentReplyStatus.Done || r.Status == AgentReplyStatus.Failed))) == 6, TimeSpan.FromSeconds(60), "six replies ended");

        Assert.InRange(model.RequestsFor("race-model").Count, 1, 3);
        var aliceId = await app.WithDb(db => db.Users.Where(u => u.Email == aliceEmail).Select(u => u.Id).SingleAsync());
        var used = await app.WithDb(db => db.AgentReplies.Where(r => r.StartedById == aliceId).SumAsync(r => r.InputTokens + r.OutputTokens + r.ReservedTokens));
        Assert.InRange(used, 1, 12000 + 5000); // at most the last one admitted goes past, as it would one at a time
        Assert.True(await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId && r.Status == AgentReplyStatus.Failed)));
    }

    [Fact]
    public async Task Uploads_sent_at_once_stay_within_the_daily_quota()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Alice Uploads");
        var roomId = await alice.CreateRoom("Quota race");
        var token = await alice.AnyToken();
        var file = new byte[350 * 1024];
        Array.Fill(file, (byte)'a');

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            alice.Upload(roomId, $"part-{i}.txt", new ByteArrayContent(file), token)));

        Assert.Equal(2, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, a.Status));
        Assert.InRange(await app.WithDb(db => db.Attachments.Where(a => a.Uploader!.Email == aliceEmail).SumAsync(a => a.Size)), 1, 1048576);
    }

    [Fact]
    public async Task Two_administrators_removing_each_other_at_once_leave_one()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, firstEmail) = await app.SignedInPerson($"First Admin {round}");
            var (second, secondEmail) = await app.SignedInPerson($"Second Admin {round}");
            await app.WithDb(db => db.Users.ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, x => x.Email == firstEmail || x.Email == secondEmail)));
            var firstPage = await first.Get($"/admin?q=Second Admin {round}");
            var secondPage = await second.Get($"/admin?q=First Admin {round}");

            await Task.WhenAll(
                firstPage.Submit(first, "Deactivate", new Dictionary<string, string>()),
                secondPage.Submit(second, "Deactivate", new Dictionary<string, string>()));

            Assert.Equal(1, await app.WithDb(db => db.Users.CountAsync(u => u.IsSiteAdmin && u.DeactivatedAt == null)));
        }
    }

    [Fact]
    public async Task Sockets_opened_back_to_back_past_the_cap_leave_only_the_newest_open()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Alice Tabs");
        var roomId = await alice.CreateRoom("Many tabs");
        var userId = await app.WithDb(db => db.Users.Where(u => u.Email == aliceEmail).Select(u => u.Id).SingleAsync());
        var sockets = new List<LiveSocket>();
        for (var i = 0; i < 12; i++)
            sockets.Add(await LiveSocket.Open(app, alice, roomId));
        try
        {
            // The server keeps the newest three it added (its order of arrival, which load may shuffle a little).
            var registry = app.Services.GetRequiredService<ConnectionRegistry>();
            await Eventually.True(() => registry.ConnectionsOf(userId).Count() == 3, TimeSpan.FromSeconds(20), "three sockets left");
            var ends = await Task.WhenAll(sockets.Select(async socket =>
            {
                try
                {
                    return (await socket.UntilClosed(TimeSpan.FromSeconds(5))).Status;
                }
                catch (OperationCanceledException)
                {
                    return (WebSocketCloseStatus?)null; // still open: nothing came, and no close
                }
            }));
            Assert.Equal(9, ends.Count(status => status == WebSocketCloseStatus.PolicyViolation));
            Assert.Equal(3, ends.Count(status => status is null));
        }
        finally
        {
            foreach (var socket in sockets)
                await socket.DisposeAsync();
        }
    }
}
