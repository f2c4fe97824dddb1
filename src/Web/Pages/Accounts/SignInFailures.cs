using Microsoft.Extensions.Caching.Memory;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// Wrong passwords counted per account and client address. Five from one client pause sign-in to
/// that account from that client for a few minutes; the account itself is never locked, so nobody can
/// keep someone else out by failing on purpose. Guessing from many addresses meets the per-client
/// sign-in limit (<see cref="Infrastructure.RequestLimits"/>) at each. Counted on this node.
/// </summary>
public sealed class SignInFailures(IMemoryCache cache)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan PauseFor = TimeSpan.FromMinutes(5);

    public bool IsPaused(string email, string client) =>
        cache.TryGetValue(Key(email, client), out Counter? counter) && counter!.Count >= MaxFailures;

    public void Record(string email, string client)
    {
        var counter = cache.GetOrCreate(Key(email, client), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = PauseFor;
            return new Counter();
        })!;
        Interlocked.Increment(ref counter.Count);
    }

    public void Forget(string email, string client) => cache.Remove(Key(email, client));

    private static string Key(string email, string client) => $"sign-in|{email.Trim().ToUpperInvariant()}|{client}";

    private sealed class Counter
    {
        public int Count;
    }
}
