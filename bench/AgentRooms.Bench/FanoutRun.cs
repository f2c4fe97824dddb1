using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentRooms.Bench;

/// <summary>
/// Paced fan-out (S2): posts leave on a fixed open-loop clock and latency is measured from each
/// post's scheduled time to its arrival at every member (no coordinated omission).
/// </summary>
public static partial class FanoutRun
{
    public static async Task<FanoutResult> Execute(ITarget target, BenchOptions options)
    {
        var roomIds = new List<int>();
        for (var i = 0; i < options.Rooms; i++)
            roomIds.Add(await target.CreateRoom(i));

        var members = new List<Member>();
        foreach (var roomId in roomIds)
            for (var m = 0; m < options.Members; m++)
                members.Add(new Member(roomId, await target.Connect(roomId)));
        using var stop = new CancellationTokenSource();
        var readers = members.Select(m => m.Read(stop.Token)).ToList();
        await Task.Delay(500); // presence fragments settle

        // Warm-up, not measured: JIT, pools and caches reach their working state first.
        var warmup = (int)Math.Max(1, options.Rate);
        await Task.WhenAll(Enumerable.Range(0, warmup).Select(async n =>
        {
            await Task.Delay(TimeSpan.FromSeconds(n / options.Rate));
            await target.Post(roomIds[n % roomIds.Count], $"warm-up {n}");
        }));
        await Task.Delay(1000);

        var totalPosts = (int)(options.Rate * options.Duration.TotalSeconds);
        var scheduled = new long[totalPosts];
        var interval = Stopwatch.Frequency / options.Rate;
        var cpuBefore = ProcessCpu.Of(options.ServerPid);
        var start = Stopwatch.GetTimestamp();
        var posts = new List<Task>();
        var failures = 0;
        for (var n = 0; n < totalPosts; n++)
        {
            scheduled[n] = start + (long)(n * interval);
            while (Stopwatch.GetTimestamp() < scheduled[n])
                await Task.Delay(1);
            var roomId = roomIds[n % roomIds.Count];
            var index = n;
            posts.Add(Task.Run(async () =>
            {
                try { await target.Post(roomId, $"bench {index}"); }
                catch (Exception) { Interlocked.Increment(ref failures); }
            }));
        }
        await Task.WhenAll(posts);
        var expectedPerMember = roomIds.ToDictionary(r => r, r => Enumerable.Range(0, totalPosts).Where(n => roomIds[n % roomIds.Count] == r).ToList());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (members.Any(m => m.Received.Count < expectedPerMember[m.RoomId].Count) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var elapsed = Clock.Ms(start, Stopwatch.GetTimestamp()) / 1000;
        var cpuAfter = ProcessCpu.Of(options.ServerPid);
        var memoryKb = ProcessCpu.MemoryKb(options.ServerPid);
        stop.Cancel();
        foreach (var member in members)
            member.Socket.Abort();

        // Every post reaches every member of its room once, and all members see the same order (the room's Seq order).
        var complete = failures == 0 && members.GroupBy(m => m.RoomId).All(room =>
        {
            var order = room.First().Received.Select(r => r.Post).ToList();
            return order.Order().SequenceEqual(expectedPerMember[room.Key])
                && room.All(m => m.Received.Select(r => r.Post).SequenceEqual(order));
        });
        var latencies = members.SelectMany(m => m.Received.Select(r => Clock.Ms(scheduled[r.Post], r.At))).Order().ToArray();
        var deliveries = members.Sum(m => m.Received.Count);
        return new FanoutResult(options.Target, options.Rooms, options.Members, options.Rate, totalPosts, deliveries,
            members.Sum(m => expectedPerMember[m.RoomId].Count), complete, failures,
            Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.LastOrDefault(), elapsed,
            cpuBefore is { } before && cpuAfter is { } after && deliveries > 0 ? (after - before).TotalMicroseconds / deliveries : null,
            memoryKb);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];

    private sealed class Member(int roomId, ClientWebSocket socket)
    {
        public int RoomId => roomId;
        public ClientWebSocket Socket => socket;
        public List<(int Post, long At)> Received { get; } = [];

        public async Task Read(CancellationToken stop)
        {
            var buffer = new byte[64 * 1024];
            var text = new StringBuilder();
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var result = await socket.ReceiveAsync(buffer, stop);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return;
                    text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    if (!result.EndOfMessage)
                        continue;
                    var at = Stopwatch.GetTimestamp();
                    if (BenchPost().Match(text.ToString()) is { Success: true } match)
                        Received.Add((int.Parse(match.Groups[1].Value), at));
                    text.Clear();
                }
            }
            catch (Exception) when (stop.IsCancellationRequested) { }
            catch (WebSocketException) { }
        }
    }

    [GeneratedRegex(@"<p>bench (\d+)</p>")]
    private static partial Regex BenchPost();
}

public sealed record FanoutResult(string Target, int Rooms, int Members, double Rate, int Posts, int Deliveries, int ExpectedDeliveries,
    bool Complete, int FailedPosts, double P50Ms, double P99Ms, double MaxMs, double Seconds, double? ServerCpuMicrosPerDelivery, long? ServerRssKb)
{
    public string Summary() =>
        $"{Target}: {Rooms}x{Members} at {Rate}/s: {Deliveries}/{ExpectedDeliveries} delivered ({(Complete ? "complete, in order" : "INCOMPLETE")}), " +
        $"p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, max {MaxMs:0.0} ms, server CPU {ServerCpuMicrosPerDelivery:0.0} µs/delivery, RSS {ServerRssKb / 1024} MB";

    public string ToJsonLine() => JsonSerializer.Serialize(this);
}
