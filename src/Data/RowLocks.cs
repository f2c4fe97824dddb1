using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace AgentRooms.Data;

/// <summary>
/// Writes that lock only the rows they change. At MySQL's default REPEATABLE READ a conditional
/// update such as "this reply, if it still runs" can search the status index and lock the gaps
/// around the entry it finds; a second reply changing its status at the same moment then waits for
/// that gap while holding the room's row, and two replies saving together deadlock. READ COMMITTED
/// takes no gap locks. SQLite has one writer at a time and stays serializable either way.
/// </summary>
public static class RowLocks
{
    public static Task<IDbContextTransaction> BeginRowLockingTransactionAsync(this DatabaseFacade database, CancellationToken cancel = default) =>
        database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancel);

    /// <summary>One statement (or a few) in a transaction of its own that locks rows, never gaps.</summary>
    public static async Task<T> LockingRowsOnly<T>(this DatabaseFacade database, Func<CancellationToken, Task<T>> work, CancellationToken cancel = default)
    {
        await using var transaction = await database.BeginRowLockingTransactionAsync(cancel);
        var result = await work(cancel);
        await transaction.CommitAsync(cancel);
        return result;
    }
}
