using AgentRooms.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRooms.Web.Infrastructure;

public static class DataSetup
{
    /// <summary>
    /// Any <see cref="IInterceptor"/> registered in the container joins every context (diagnostics, fault tests).
    /// The options are built once, not per request (MySQL's server version is detected once), and
    /// contexts are pooled: a send or a page takes a ready one instead of building its services.
    /// SQLite under the app's data folder unless <c>Database:Provider</c> says MySql, in which
    /// case <c>ConnectionStrings:Default</c> points at MySQL 8 or MariaDB.
    /// </summary>
    public static void AddAppData(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var provider = config.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString("Default");
        builder.Services.AddSingleton(new WriteGate(provider));

        if (provider == DatabaseProvider.MySql)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Database:Provider is MySql but ConnectionStrings:Default is empty.");
            builder.Services.AddDbContextPool<AppDbContext, MySqlAppDbContext>((services, options) =>
                DatabaseSetup.UseMySql(options.AddInterceptors(services.GetServices<IInterceptor>()), connectionString));
        }
        else
        {
            connectionString = SqliteConnectionString(builder);
            builder.Services.AddDbContextPool<AppDbContext, SqliteAppDbContext>((services, options) =>
                DatabaseSetup.UseSqlite(options.AddInterceptors(services.GetServices<IInterceptor>()), connectionString));
        }
    }

    /// <summary>Applies pending migrations; the app never uses EnsureCreated.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // Readers never wait for the writer, and the writer does not wait for readers.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    /// <summary>The SQLite database the app uses: <c>ConnectionStrings:Default</c>, or agentrooms.db in the data folder.</summary>
    public static string SqliteConnectionString(WebApplicationBuilder builder) =>
        builder.Configuration.GetConnectionString("Default") is { Length: > 0 } configured
            ? configured
            : DefaultSqliteConnectionString(DataFolder.Of(builder.Configuration, builder.Environment));

    private static string DefaultSqliteConnectionString(string folder)
    {
        Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "agentrooms.db"),
            DefaultTimeout = 30,
        }.ToString();
    }
}
