using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Data;

public enum DatabaseProvider
{
    Sqlite,
    MySql,
}

/// <summary>Chooses and configures the provider-specific context from configuration.</summary>
public static class DatabaseSetup
{
    public static void UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(AppDbContext).Assembly.FullName))
            .AddInterceptors(SqliteTuning.Instance);

    public static void UseMySql(DbContextOptionsBuilder options, string connectionString, Version? serverVersion = null) =>
        options.UseMySql(
            connectionString,
            serverVersion is null ? ServerVersion.AutoDetect(connectionString) : new MariaDbServerVersion(serverVersion),
            mysql => mysql.MigrationsAssembly(typeof(AppDbContext).Assembly.FullName));
}
