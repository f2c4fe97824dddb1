using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AgentRooms.Data;

// Used only by `dotnet ef migrations add`; no database is contacted.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>();
        DatabaseSetup.UseSqlite(options, "Data Source=design.db");
        return new SqliteAppDbContext(options.Options);
    }
}

internal sealed class MySqlDesignTimeFactory : IDesignTimeDbContextFactory<MySqlAppDbContext>
{
    public MySqlAppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MySqlAppDbContext>();
        DatabaseSetup.UseMySql(options, "Server=localhost;Database=agentrooms", new Version(10, 11));
        return new MySqlAppDbContext(options.Options);
    }
}
