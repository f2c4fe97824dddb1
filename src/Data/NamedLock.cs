using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Data;

/// <summary>
/// A lock by name: "check, then write" runs one at a time for that name. Within this process by one of
/// a fixed set of semaphores the name hashes to (memory stays bounded whatever the names); across nodes
/// sharing a MySQL/MariaDB database also by the database's <c>GET_LOCK</c>, held by this context's
/// connection until disposed (the context's queries in between run on that connection). SQLite is
/// one node's alone, so the semaphore is all it needs.
/// </summary>
public sealed class NamedLock : IAsyncDisposable
{
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private readonly AppDbContext? db;
    private readonly string name;
    private readonly SemaphoreSlim stripe;

    private NamedLock(AppDbContext? db, string name, SemaphoreSlim stripe) => (this.db, this.name, this.stripe) = (db, name, stripe);

    public static async Task<NamedLock> Take(AppDbContext db, string name, int timeoutSeconds = 10, CancellationToken cancel = default)
    {
        var stripe = Stripes[(int)((uint)StableHash(name) % Stripes.Length)];
        if (!await stripe.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), cancel))
            throw new TimeoutException($"The lock {name} was not free within {timeoutSeconds} s");
        if (!db.Database.IsMySql())
            return new NamedLock(null, name, stripe);
        try
        {
            await db.Database.OpenConnectionAsync(cancel);
            var taken = await db.Database.SqlQueryRaw<long?>("SELECT GET_LOCK({0}, {1}) AS `Value`", name, timeoutSeconds).SingleAsync(cancel);
            if (taken != 1)
            {
                await db.Database.CloseConnectionAsync();
                throw new TimeoutException($"The database lock {name} was not free within {timeoutSeconds} s");
            }
        }
        catch
        {
            stripe.Release();
            throw;
        }
        return new NamedLock(db, name, stripe);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (db is not null)
            {
                await db.Database.SqlQueryRaw<long?>("SELECT RELEASE_LOCK({0}) AS `Value`", name).SingleAsync();
                await db.Database.CloseConnectionAsync();
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
            hash = unchecked(hash * 31 + c);
        return hash;
    }
}
