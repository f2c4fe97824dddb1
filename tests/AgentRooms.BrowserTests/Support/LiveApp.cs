using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using AgentRooms.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace AgentRooms.BrowserTests.Support;

/// <summary>The real app on Kestrel on a loopback port, over its own SQLite file, for a real browser.</summary>
public sealed class LiveApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string databasePath =
        Path.Combine(Path.GetTempPath(), $"agentrooms-browser-{Guid.NewGuid():N}.db");

    public string BaseUrl { get; private set; } = "";

    /// <summary>The OpenAI-compatible model the app's agents talk to.</summary>
    public FakeModelServer Model { get; } = new();

    /// <summary>The MCP tool server the app's agents may use (as "team").</summary>
    public FakeToolServer Tools { get; } = new();

    /// <summary>The SMTP server the app sends its email through.</summary>
    public FakeSmtpServer Smtp { get; } = new();

    public LiveApp() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseDefaultServiceProvider(provider =>
        {
            provider.ValidateScopes = true;
            provider.ValidateOnBuild = true;
        });
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={databasePath}");
        builder.UseSetting("Hangfire:SqlitePath", databasePath + ".hangfire");
        builder.UseSetting("Hangfire:SilenceLogs", "true");
        builder.UseSetting("AI:Endpoint", Model.Endpoint);
        builder.UseSetting("AI:Model", "browser-default");
        builder.UseSetting("Agents:SummaryModel", "browser-summary");
        foreach (var (key, value) in Smtp.Settings)
            builder.UseSetting(key, value);
        builder.UseSetting("AI:ToolServers:0:Name", "team");
        builder.UseSetting("AI:ToolServers:0:Url", Tools.Url);
        foreach (var (key, value) in AgentRooms.Tests.Shared.TestSettings.Lifted)
            builder.UseSetting(key, value);
        builder.UseSetting("Agents:Deadline", "00:00:20");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>Cuts a person's sockets from the server side, as a dropped network would.</summary>
    public async Task DropConnectionsOf(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgentRooms.Data.AppDbContext>();
        var userId = db.Users.Single(u => u.Email == email).Id;
        foreach (var connection in Services.GetRequiredService<AgentRooms.Web.Realtime.ConnectionRegistry>().ConnectionsOf(userId).ToList())
            connection.Abort();
    }

    public async Task<T> WithDb<T>(Func<AgentRooms.Data.AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AgentRooms.Data.AppDbContext>());
    }

    /// <summary>Posts <paramref name="count"/> messages as a person, as their sends would (numbered from 1).</summary>
    public async Task Post(string email, Uri roomUrl, int count, string text)
    {
        var roomId = int.Parse(roomUrl.Segments[^1]);
        for (var i = 1; i <= count; i++)
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AgentRooms.Data.AppDbContext>();
            var userId = db.Users.Single(u => u.Email == email).Id;
            await scope.ServiceProvider.GetRequiredService<AgentRooms.Web.Pages.Messages.MessagePosting>().Post(roomId, userId, $"{text} {i}", Guid.NewGuid());
        }
    }

    public async Task InitializeAsync()
    {
        await Model.InitializeAsync();
        await Tools.InitializeAsync();
        await Smtp.InitializeAsync();
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Dispose();
        await Model.DisposeAsync();
        await Tools.DisposeAsync();
        await Smtp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", ".hangfire", ".hangfire-wal", ".hangfire-shm" })
            File.Delete(databasePath + suffix);
    }
}
