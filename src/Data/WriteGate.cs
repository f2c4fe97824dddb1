using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Data;

/// <summary>
/// SQLite has one writer at a time. Writers on the hot path (posting messages) queue here, in
/// memory, rather than contending for the file lock; on MySQL the gate stands open and the
/// database's row locks do the ordering.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim sqlite = new(1, 1);

    public async ValueTask<IDisposable?> Enter(AppDbContext db, CancellationToken cancel)
    {
        if (!db.Database.IsSqlite())
            return null;
        await sqlite.WaitAsync(cancel);
        return new Release(sqlite);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                gate.Release();
        }
    }
}
