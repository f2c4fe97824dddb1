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
    public async Task A_wrong_setting_stops_the_start_and_names_the_setting(string setting, string value, string named)
    {
        await using var app = new SqliteAppFactory();
        app.Settings[setting] = value;

        var refused = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(refused));
        Assert.Contains(named, validation.Message);
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
