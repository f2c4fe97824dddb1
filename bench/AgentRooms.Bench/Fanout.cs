using System.Diagnostics;

namespace AgentRooms.Bench;

/// <summary>
/// Room fan-out: S2 (paced latency), S3 (step-up capacity) and S5 (slow readers). Posts leave on a
/// fixed open-loop clock and latency is measured from each post's scheduled time to its arrival at
/// every member (no coordinated omission). Completeness is checked before any figure counts.
/// </summary>
public static class Fanout
{
    /// <summary>S2 and S5: one measured phase at a fixed rate, after a warm-up.</summary>
    public static async Task<List<RunResult>> Latency(ITarget target, BenchOptions options, string scenario)
    {
        await using var rooms = await RoomSockets.Open(target, options.Rooms, options.Members, options.SlowPercent);
        await rooms.WarmUp(options.Rate);
        var shape = $"{options.Rooms}×{options.Members} at {options.Rate:0}/s" + (scenario == "s5" ? $", {options.SlowPercent:0.#} % not reading" : "");
        return [await rooms.Phase(scenario, shape, options.Target, options.Rate, options.Duration, options.ServerPids)];
    }

    /// <summary>
    /// S3: the rate grows by 1.25× per step until the all-members p99 reaches 100 ms or delivery is
    /// incomplete; the run's figure is the highest deliveries/s of a step that passed.
    /// </summary>
    public static async Task<List<RunResult>> Capacity(ITarget target, BenchOptions options)
    {
        await using var rooms = await RoomSockets.Open(target, options.Rooms, options.Members, 0);
        await rooms.WarmUp(options.Rate);
        var results = new List<RunResult>();
        var rate = options.Rate;
        for (var step = 1; step <= 30; step++, rate *= 1.25)
        {
            var result = await rooms.Phase("s3-step", $"{options.Rooms}×{options.Members} step {step}", options.Target, rate, options.Duration, options.ServerPids);
            results.Add(result);
            if (!result.Complete || result.Figures[Figure.P99] >= 100 || result.Discarded is not null)
                break;
        }
        var best = results.Where(r => r.Complete && r.Discarded is null && r.Figures[Figure.P99] < 100)
            .MaxBy(r => r.Figures[Figure.DeliveriesPerSecond]);
        var shape = $"{options.Rooms}×{options.Members}, rate ×1.25 per {options.Duration.TotalSeconds:0} s step";
        // Ended by the generator, not the server: the server's limit lies higher than the best step.
        var generatorBound = results[^1].Discarded is not null;
        results.Add(best is null
            ? new RunResult("s3", shape, options.Target, false, new() { [Figure.DeliveriesPerSecond] = 0 })
            : new RunResult("s3", shape, options.Target, true, new(best.Figures))
            {
                Note = generatorBound ? $"{options.Target}: the generator saturated first; the server's capacity is above this figure" : null,
            });
        return results;
    }
}

/// <summary>The rooms of a run and their members' sockets, kept open across phases.</summary>
public sealed class RoomSockets : IAsyncDisposable
{
    private readonly ITarget target;
    private readonly List<int> roomIds;
    private readonly List<Member> members;
    private readonly HashSet<Member> slow;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> readers;
    private int nextPost;

    private RoomSockets(ITarget target, List<int> roomIds, List<Member> members, HashSet<Member> slow)
    {
        this.target = target;
        this.roomIds = roomIds;
        this.members = members;
        this.slow = slow;
        // A slow member's socket is open but never read: the server's send buffer and outbox fill up.
        readers = members.Where(m => !slow.Contains(m)).Select(m => m.Read(stop.Token)).ToList();
    }

    public static async Task<RoomSockets> Open(ITarget target, int rooms, int membersPerRoom, double slowPercent)
    {
        var roomIds = new List<int>();
        for (var i = 0; i < rooms; i++)
            roomIds.Add(await target.CreateRoom(i));
        var members = new List<Member>();
        var slow = new HashSet<Member>();
        var everyNth = slowPercent > 0 ? (int)Math.Round(100 / slowPercent) : int.MaxValue;
        foreach (var roomId in roomIds)
            for (var m = 0; m < membersPerRoom; m++)
            {
                var member = new Member(roomId, await target.Connect(roomId));
                members.Add(member);
                if ((m + 1) % everyNth == 0)
                    slow.Add(member);
            }
        var sockets = new RoomSockets(target, roomIds, members, slow);
        await Task.Delay(500); // presence fragments settle
        return sockets;
    }

    /// <summary>Not measured: JIT, pools and caches reach their working state first.</summary>
    public async Task WarmUp(double rate)
    {
        var count = (int)Math.Max(1, rate);
        var first = nextPost;
        nextPost += count;
        await OpenLoop.Run(rate, count, i => target.Post(RoomOf(first + i), Member.Content(first + i)));
        await Task.Delay(1000);
    }

    public async Task<RunResult> Phase(string scenario, string shape, string targetName, double rate, TimeSpan duration, IReadOnlyList<int> serverPids)
    {
        var first = nextPost;
        var count = (int)(rate * duration.TotalSeconds);
        nextPost += count;
        var serverCpuBefore = ProcessCpu.Of(serverPids);
        var generatorCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var rssBefore = ProcessCpu.MemoryKb(serverPids);
        var (start, scheduled, failures) = await OpenLoop.Run(rate, count, i => target.Post(RoomOf(first + i), Member.Content(first + i)));
        var postingSeconds = Clock.Ms(start, Stopwatch.GetTimestamp()) / 1000;
        var expected = await WaitForDelivery(first, count);
        var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - generatorCpuBefore).TotalSeconds / postingSeconds * 100;
        var serverCpu = ProcessCpu.Of(serverPids) - serverCpuBefore;
        var rss = ProcessCpu.MemoryKb(serverPids);

        var (complete, received) = Delivered(first, count, expected);
        complete &= failures == 0;
        var latencies = received.Values.SelectMany(r => r.Select(x => Clock.Ms(scheduled[x.Post - first], x.At))).Order().ToArray();
        var deliveries = latencies.Length;
        var figures = new Dictionary<string, double>
        {
            [Figure.P50] = Percentile(latencies, 0.5),
            [Figure.P99] = Percentile(latencies, 0.99),
            [Figure.Max] = latencies.LastOrDefault(),
            [Figure.DeliveriesPerSecond] = deliveries / duration.TotalSeconds,
            [Figure.GeneratorCpu] = generatorCpu,
        };
        if (serverCpu is { } cpu && deliveries > 0)
            figures[Figure.CpuPerDelivery] = cpu.TotalMicroseconds / deliveries;
        if (rss is { } kb)
            figures[Figure.RssMb] = kb / 1024.0;
        if (slow.Count > 0 && rss is { } after && rssBefore is { } before)
            figures["RSS growth MB"] = (after - before) / 1024.0;
        return new RunResult(scenario, shape, targetName, complete, figures)
        {
            Discarded = generatorCpu > 85 ? $"generator CPU {generatorCpu:0} %" : null,
        };
    }

    /// <summary>S4: posters that each post again as soon as their previous post was answered.</summary>
    public async Task<ClosedLoopResult> ClosedLoop(int posters, TimeSpan duration, IReadOnlyList<int> serverPids)
    {
        var first = nextPost;
        var timings = new List<double>();
        var failures = 0;
        var cpuBefore = ProcessCpu.Of(serverPids);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, posters).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var post = Interlocked.Increment(ref nextPost) - 1;
                var sent = Stopwatch.GetTimestamp();
                try { await target.Post(RoomOf(post), Member.Content(post)); }
                catch (Exception) { Interlocked.Increment(ref failures); }
                lock (timings)
                    timings.Add(Clock.Ms(sent, Stopwatch.GetTimestamp()));
            }
        })));
        var seconds = Clock.Ms(start, Stopwatch.GetTimestamp()) / 1000;
        var cpu = ProcessCpu.Of(serverPids) - cpuBefore;
        var count = nextPost - first;
        var expected = await WaitForDelivery(first, count);
        var (complete, _) = Delivered(first, count, expected);
        return new ClosedLoopResult(count, timings, complete && failures == 0, seconds, cpu);
    }

    /// <summary>Which posts each room should get; waits (at most 10 s) until every reading member has them.</summary>
    private async Task<Dictionary<int, List<int>>> WaitForDelivery(int first, int count)
    {
        var expected = roomIds.ToDictionary(r => r, r => Enumerable.Range(first, count).Where(n => RoomOf(n) == r).ToList());
        var reading = members.Where(m => !slow.Contains(m)).ToList();
        var waitUntil = DateTime.UtcNow.AddSeconds(10);
        while (reading.Any(m => m.CountBetween(first, first + count) < expected[m.RoomId].Count) && DateTime.UtcNow < waitUntil)
            await Task.Delay(50);
        return expected;
    }

    /// <summary>Every post reached every reading member of its room once, and all of them saw the same order (the room's order).</summary>
    private (bool Complete, Dictionary<Member, List<(int Post, long At)>> Received) Delivered(int first, int count, Dictionary<int, List<int>> expected)
    {
        var received = members.Where(m => !slow.Contains(m)).ToDictionary(m => m, m => m.Between(first, first + count));
        var complete = received.Keys.GroupBy(m => m.RoomId).All(room =>
        {
            var order = received[room.First()].Select(r => r.Post).ToList();
            return order.Order().SequenceEqual(expected[room.Key]) && room.All(m => received[m].Select(r => r.Post).SequenceEqual(order));
        });
        return (complete, received);
    }

    private int RoomOf(int post) => roomIds[post % roomIds.Count];

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        foreach (var member in members)
            member.Socket.Abort();
        await Task.WhenAll(readers);
    }
}

public sealed record ClosedLoopResult(int Count, List<double> Timings, bool Complete, double Seconds, TimeSpan? ServerCpu);
