namespace AgentRooms.Web.Pages.Attachments;

/// <summary>
/// The memory images may take while they are decoded, all uploads (and model images) together: each
/// decode asks for the bytes its pixels need and waits, in turn, until that much is free. One image of
/// the largest size allowed fits at a time, or many small ones; a request larger than the whole budget
/// is refused (<see cref="ImageTooLarge"/>). So however many images arrive at once, decoding holds at
/// most <see cref="Total"/> bytes of pixels.
/// </summary>
public sealed class DecodeBudget(long total)
{
    public long Total { get; } = total;

    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly SemaphoreSlim returned = new(0);
    private long available = total;
    private long peak;

    /// <summary>The most held at once so far (for tests and metrics).</summary>
    public long Peak => Interlocked.Read(ref peak);

    public async Task<IDisposable> Take(long bytes, CancellationToken cancel = default)
    {
        if (bytes > Total)
            throw new ImageTooLarge();
        await turn.WaitAsync(cancel);
        try
        {
            while (Interlocked.Read(ref available) < bytes)
                await returned.WaitAsync(cancel);
            var held = Total - Interlocked.Add(ref available, -bytes);
            long seen;
            while ((seen = Interlocked.Read(ref peak)) < held && Interlocked.CompareExchange(ref peak, held, seen) != seen)
            {
            }
        }
        finally
        {
            turn.Release();
        }
        return new Lease(this, bytes);
    }

    private void Give(long bytes)
    {
        Interlocked.Add(ref available, bytes);
        returned.Release();
    }

    private sealed class Lease(DecodeBudget budget, long bytes) : IDisposable
    {
        private int given;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref given, 1) == 0)
                budget.Give(bytes);
        }
    }
}
