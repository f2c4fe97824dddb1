using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Data;

/// <summary>
/// A lock every node sharing a MySQL/MariaDB database sees (<c>GET_LOCK</c>), held by this context's
/// connection until disposed; the context's queries in between run on that connection. On SQLite,
/// which only one node uses, there is nothing to take.
/// </summary>
public sealed class NamedLock : IAsyncDisposable
{
    private readonly AppDbContext? db;
    private readonly string name;

    private NamedLock(AppDbContext? db, string name) => (this.db, this.name) = (db, name);

    public static async Task<NamedLock> Take(AppDbContext db, string name, int timeoutSeconds = 10)
    {
        if (!db.Database.IsMySql())
            return new NamedLock(null, name);
        await db.Database.OpenConnectionAsync();
        var taken = await db.Database.SqlQueryRaw<long?>("SELECT GET_LOCK({0}, {1}) AS `Value`", name, timeoutSeconds).SingleAsync();
        if (taken != 1)
        {
            await db.Database.CloseConnectionAsync();
            throw new TimeoutException($"The database lock {name} was not free within {timeoutSeconds} s");
        }
        return new NamedLock(db, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (db is null)
            return;
        await db.Database.SqlQueryRaw<long?>("SELECT RELEASE_LOCK({0}) AS `Value`", name).SingleAsync();
        await db.Database.CloseConnectionAsync();
    }
}
