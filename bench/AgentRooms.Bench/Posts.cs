namespace AgentRooms.Bench;

/// <summary>
/// S4: persisted posts per second through the real form-post pipeline (antiforgery, auth, save with
/// the room's sequence, render, broadcast); S4s (<c>--via socket</c>): the same posts as send frames on
/// room sockets, each answered by the sender's own copy. Closed loop: a fixed number of posters, each posting as
/// soon as its previous post was answered. One reading socket per room proves every post was saved
/// and broadcast once, in order.
/// </summary>
public static class Posts
{
    public static async Task<List<RunResult>> Run(ITarget target, BenchOptions options)
    {
        await using var rooms = await RoomSockets.Open(target, options.Rooms, 1, 0);
        await rooms.WarmUp(50);
        var result = await rooms.ClosedLoop(options.Concurrency, options.Duration, options.ServerPids);
        var sorted = result.Timings.Order().ToArray();
        var figures = new Dictionary<string, double>
        {
            [Figure.PostsPerSecond] = result.Count / result.Seconds,
            [Figure.P50] = RoomSockets.Percentile(sorted, 0.5),
            [Figure.P99] = RoomSockets.Percentile(sorted, 0.99),
        };
        if (result.ServerCpu is { } used && result.Count > 0)
            figures["server µs/post"] = used.TotalMicroseconds / result.Count;
        return [new RunResult(options.Via == "socket" ? "s4s" : "s4", $"{options.Rooms} rooms, {options.Concurrency} posters", options.Target, result.Complete, figures)];
    }
}
