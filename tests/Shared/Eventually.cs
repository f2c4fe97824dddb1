namespace AgentRooms.Tests.Support;

/// <summary>
/// Waits for something the app does in the background, failing the test if it never happens: by
/// default within 20 s, room for a machine whose two cores are busy with other work too.
/// </summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan? wait = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting{(what is null ? "" : $" for {what}")}");
            await Task.Delay(50);
        }
    }

    public static Task True(Func<bool> condition, TimeSpan? wait = null, string? what = null) =>
        True(() => Task.FromResult(condition()), wait, what);

    /// <summary>Waits until <paramref name="find"/> finds something, and returns it.</summary>
    public static async Task<T> Value<T>(Func<Task<T?>> find, TimeSpan? wait = null, string? what = null) where T : class
    {
        T? found = null;
        await True(async () => (found = await find()) is not null, wait, what);
        return found!;
    }
}
