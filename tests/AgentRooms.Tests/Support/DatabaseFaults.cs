using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRooms.Tests.Support;

/// <summary>Faults a test can arm in the app's real database path: a failing save, a slow transaction.</summary>
public sealed class DatabaseFaults : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>When set and true for a save, that save throws as a broken database would.</summary>
    public Func<DbContext, bool>? FailSave { get; set; }

    private TimeSpan? delayNextTransaction;
    private TaskCompletionSource delayBegan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next transaction to start waits this long after BEGIN (once).</summary>
    public TimeSpan? DelayNextTransaction
    {
        get => delayNextTransaction;
        set
        {
            delayBegan = new(TaskCreationOptions.RunContinuationsAsynchronously);
            delayNextTransaction = value;
        }
    }

    /// <summary>Completes when the delayed transaction has begun (and is waiting).</summary>
    public Task DelayedTransactionBegan => delayBegan.Task;

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && FailSave?.Invoke(context) == true)
            throw new DbUpdateException("Injected fault: the database is unavailable.");
        return ValueTask.FromResult(result);
    }

    public async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        if (delayNextTransaction is { } delay)
        {
            delayNextTransaction = null;
            delayBegan.TrySetResult();
            await Task.Delay(delay, cancellationToken);
        }
        return result;
    }
}
