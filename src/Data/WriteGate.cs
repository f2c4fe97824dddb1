namespace AgentRooms.Data;

/// <summary>
/// SQLite has one writer at a time. Writers on the hot path (posting messages) queue here, in
/// memory, rather than contending for the file lock; on MySQL the gate stands open and the
/// database's row locks do the ordering. Which it is, is decided once, from the provider.
/// </summary>
public sealed class WriteGate(DatabaseProvider provider)
{
    private readonly SemaphoreSlim? oneWriter = provider == DatabaseProvider.Sqlite ? new(1, 1) : null;

    public async ValueTask<IDisposable?> Enter(CancellationToken cancel)
    {
        if (oneWriter is null)
            return null;
        await oneWriter.WaitAsync(cancel);
        return new Release(oneWriter);
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
