using AgentRooms.Tests.Support;
using Microsoft.Extensions.Options;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>A wrong setting stops the app at start-up, saying which setting and what it should be, instead of failing later on a request.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("App:PublicUrl", "chat.example.com", "App:PublicUrl")]
    [InlineData("Limits:PostsPerMinute", "0", "Limits:")]
    [InlineData("Realtime:SocketsPerPerson", "0", "Realtime:SocketsPerPerson")]
    [InlineData("Agents:OrphanAfter", "00:00:00", "Agents:OrphanAfter")]
    [InlineData("Agents:MaxDepth", "-1", "Agents:MaxDepth")]
    [InlineData("Rooms:MaxAgents", "0", "Rooms:MaxAgents")]
    [InlineData("AI:Endpoint", "not an address", "AI:Endpoint")]
    [InlineData("Redis:PresenceSeconds", "1", "Redis:PresenceSeconds")]
    [InlineData("Agents:MentionsPerMinute", "0", "Agents:MentionsPerMinute")]
    [InlineData("Metrics:AllowedAddresses", "127.0.0.1,the office", "Metrics:AllowedAddresses")]
    [InlineData("ForwardedHeaders:KnownProxies", "proxy.internal", "ForwardedHeaders:KnownProxies")]
    [InlineData("Knowledge:ReadInterval", "00:00:00", "Knowledge:ReadInterval")]
    [InlineData("Agents:ApprovalTimeout", "00:00:00", "Agents:ApprovalTimeout")]
    [InlineData("AI:ToolServers:0:Name", "room", "the app's own tools")]
    public async Task A_wrong_setting_stops_the_start_and_names_the_setting(string setting, string value, string named)
    {
        await using var app = new SqliteAppFactory();
        app.Settings[setting] = value;

        var refused = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(refused));
        Assert.Contains(named, validation.Message);
    }

    [Fact]
    public async Task The_list_form_of_the_models_setting_starts_as_the_readme_writes_it()
    {
        // Environment variables, as the README shows them, on the app as a process of its own.
        var database = Path.Combine(Path.GetTempPath(), $"agentrooms-models-{Guid.NewGuid():N}.db");
        using var app = await AgentRooms.Tests.Shared.AppProcess.Start(AgentRooms.Tests.Shared.AppProcess.FreePort(), "Sqlite", $"Data Source={database}",
            database + ".hangfire", new Dictionary<string, string>
            {
                ["AI__Models"] = null!, // no one-line form beside the list (the tests' own "*" is taken away)
                ["AI__Models__0__Name"] = "fake", ["AI__Models__0__Images"] = "true",
                ["AI__Models__1__Name"] = "big", ["AI__Models__1__ContextTokens"] = "128000",
                ["AI__Models__2__Name"] = "plain", ["AI__Models__2__Tools"] = "false",
            });

        using var client = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync($"{app.BaseUrl}/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_first_start_on_a_fresh_database_logs_no_warning()
    {
        var database = Path.Combine(Path.GetTempPath(), $"agentrooms-fresh-{Guid.NewGuid():N}.db");
        using var app = await AgentRooms.Tests.Shared.AppProcess.Start(AgentRooms.Tests.Shared.AppProcess.FreePort(), "Sqlite", $"Data Source={database}",
            database + ".hangfire");

        using var client = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync($"{app.BaseUrl}/Account/Login")).StatusCode);
        // Data protection made its first key (the sign-in form's antiforgery token needs one) without a word.
        Assert.DoesNotContain(app.Output, line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_defaults_start()
    {
        await using var app = new SqliteAppFactory();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.CreateClient().GetAsync("/healthz")).StatusCode);
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
}
