using Microsoft.EntityFrameworkCore;
using AgentRooms.Data;
using AgentRooms.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace AgentRooms.Tests.Support;

/// <summary>
/// The real app in memory over a real database of its own. Each database provider has a
/// subclass; test classes are written once and run against both.
/// </summary>
public abstract class AppFactory : WebApplicationFactory<Program>
{
    private readonly bool ownsDatabase;

    protected AppFactory(string? databaseName)
    {
        ownsDatabase = databaseName is null;
        DatabaseName = databaseName ?? $"ar_{Guid.NewGuid():N}"[..24];
    }

    public string DatabaseName { get; }

    public DatabaseFaults Faults { get; } = new();

    /// <summary>Extra settings, applied when the app starts (set them before first use).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>The job storage of this app instance (and of its restarts).</summary>
    public string HangfirePath => Path.Combine(Path.GetTempPath(), "agentrooms-tests", DatabaseName + ".hangfire.db");

    /// <summary>Where this app instance (and its restarts) keeps shared files.</summary>
    public string FilesPath => Path.Combine(Path.GetTempPath(), "agentrooms-tests", DatabaseName + ".files");
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }

    /// <summary>Another app instance over the same database, as after a restart.</summary>
    public abstract AppFactory Restarted();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseDefaultServiceProvider(provider =>
        {
            provider.ValidateScopes = true;
            provider.ValidateOnBuild = true;
        });
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        foreach (var (key, value) in TestSettings.Lifted)
            builder.UseSetting(key, value);
        builder.UseSetting("Hangfire:SqlitePath", HangfirePath);
        builder.UseSetting("Hangfire:SilenceLogs", "true");
        builder.UseSetting("Attachments:Path", FilesPath);
        // Two cores run many app instances at once: a few workers each are plenty.
        builder.UseSetting("Agents:Workers", "4");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IInterceptor>(Faults));
        // Constraint tests provoke failed commands on purpose; their exceptions still reach the tests.
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
            if (Environment.GetEnvironmentVariable("AGENTROOMS_TEST_LOG") is { Length: > 0 } log)
                logging.AddProvider(new FileLoggerProvider(log));
        });
    }

    public async Task<T> WithDb<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>The id of the room's first message (by Seq).</summary>
    public Task<long> FirstMessageId(int roomId) =>
        WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).Select(m => m.Id).FirstAsync());

    public Visitor NewVisitor(string baseAddress = "http://localhost")
    {
        var cookies = new CookieContainer();
        return new Visitor(CreateDefaultClient(new Uri(baseAddress), new CookieContainerHandler(cookies)), cookies);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsDatabase)
        {
            DropDatabase();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(HangfirePath + suffix);
            if (Directory.Exists(FilesPath))
                Directory.Delete(FilesPath, recursive: true);
        }
    }

    protected abstract void DropDatabase();
}

public sealed class SqliteAppFactory : AppFactory
{
    private static readonly string Folder = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "agentrooms-tests")).FullName;

    public SqliteAppFactory() : base(null)
    {
    }

    private SqliteAppFactory(string databaseName) : base(databaseName)
    {
    }

    public override string Provider => "Sqlite";
    private string FilePath => Path.Combine(Folder, DatabaseName + ".db");

    public override string ConnectionString =>
        new SqliteConnectionStringBuilder { DataSource = FilePath, DefaultTimeout = 30 }.ToString();

    public override AppFactory Restarted() => new SqliteAppFactory(DatabaseName);

    protected override void DropDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(FilePath + suffix);
    }
}

public sealed class MariaDbAppFactory : AppFactory
{
    public MariaDbAppFactory() : base(null)
    {
    }

    private MariaDbAppFactory(string databaseName) : base(databaseName)
    {
    }

    /// <summary>Set by scripts/test.sh, which starts a throwaway MariaDB on loopback.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("AGENTROOMS_TEST_MYSQL") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "AGENTROOMS_TEST_MYSQL is not set. Run the tests with scripts/test.sh, which starts MariaDB, " +
                "or point it at a MariaDB/MySQL server: Server=127.0.0.1;Port=3306;User=...;Password=...");

    public override string Provider => "MySql";

    public override string ConnectionString =>
        new MySqlConnectionStringBuilder(ServerConnectionString) { Database = DatabaseName }.ToString();

    public override AppFactory Restarted() => new MariaDbAppFactory(DatabaseName);

    protected override void DropDatabase()
    {
        MySqlConnection.ClearAllPools();
        using var connection = new MySqlConnection(ServerConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS `{DatabaseName}`";
        command.ExecuteNonQuery();
    }
}
