using System.Net;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;

namespace AgentRooms.Tests.Features.Invitations;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address. The guessing limit must
/// count the clients the proxy names, and nobody else may name themselves: real Kestrel on loopback.
/// </summary>
public sealed class ProxyTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    private const int PerMinute = 3;

    [Fact]
    public async Task Behind_a_loopback_proxy_each_forwarded_client_has_its_own_limit()
    {
        using var node = await Start();

        var first = await Guesses(node, PerMinute + 1, _ => "203.0.113.1");
        var other = await Guesses(node, 1, _ => "203.0.113.2");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, PerMinute), HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.NotFound], other);
    }

    [Fact]
    public async Task A_client_that_is_not_a_named_proxy_cannot_dodge_the_limit_by_naming_other_clients()
    {
        using var node = await Start(new() { ["ForwardedHeaders__KnownProxies"] = "192.0.2.10" });

        var statuses = await Guesses(node, PerMinute + 2, i => $"198.51.100.{i + 1}");

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    private async Task<AppProcess> Start(Dictionary<string, string>? settings = null)
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated before the process shares it
        settings ??= [];
        settings["Invitations__RequestsPerMinute"] = PerMinute.ToString();
        return await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, app.HangfirePath + ".proxy", settings);
    }

    private static async Task<List<HttpStatusCode>> Guesses(AppProcess node, int count, Func<int, string> forwardedFor)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(node.BaseUrl) };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/invite/{Guid.NewGuid():N}{Guid.NewGuid():N}");
            request.Headers.Add("X-Forwarded-For", forwardedFor(i));
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        return statuses;
    }
}
