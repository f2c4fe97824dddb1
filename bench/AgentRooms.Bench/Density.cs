using System.Diagnostics;

namespace AgentRooms.Bench;

/// <summary>
/// S1: memory per idle socket, from the slope of the server's resident memory between two socket
/// counts (never from one point), and the connect rate. Sockets are spread over rooms of 100.
/// </summary>
public static class Density
{
    private const int RoomSize = 100;

    public static async Task<List<RunResult>> Run(ITarget target, BenchOptions options)
    {
        var (low, high) = (options.Counts[0], options.Counts[1]);
        using var stop = new CancellationTokenSource();
        var members = new List<Member>();
        var readers = new List<Task>();
        var roomIds = new List<int>();
        try
        {
            var connectStart = Stopwatch.GetTimestamp();
            await ConnectUpTo(low);
            var rssLow = await SettledRss();
            await ConnectUpTo(high);
            var connectSeconds = Clock.Ms(connectStart, Stopwatch.GetTimestamp()) / 1000;
            var rssHigh = await SettledRss();
            var open = members.Count(m => m.Socket.State == System.Net.WebSockets.WebSocketState.Open);
            return
            [
                new RunResult("s1", $"{low} → {high} idle sockets", options.Target, open == high, new()
                {
                    [Figure.KbPerSocket] = (rssHigh - rssLow) / (double)(high - low),
                    [Figure.ConnectsPerSecond] = high / connectSeconds,
                    [Figure.RssMb] = rssHigh / 1024.0,
                }),
            ];
        }
        finally
        {
            stop.Cancel();
            foreach (var member in members)
                member.Socket.Abort();
            await Task.WhenAll(readers);
        }

        async Task ConnectUpTo(int count)
        {
            while (roomIds.Count * RoomSize < count)
                roomIds.Add(await target.CreateRoom(roomIds.Count));
            // 32 connects in flight at a time, like a crowd arriving, not a single queue.
            var next = members.Count;
            var added = new Member?[count - next];
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next) - 1) < count)
                {
                    var roomId = roomIds[index / RoomSize];
                    added[index - (count - added.Length)] = new Member(roomId, await target.Connect(roomId));
                }
            }));
            foreach (var member in added)
            {
                members.Add(member!);
                readers.Add(member!.Read(stop.Token));
            }
        }

        async Task<long> SettledRss()
        {
            // Presence pushes and the allocator settle; the lowest of a few samples is the steady state.
            await Task.Delay(3000);
            var samples = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                samples.Add(ProcessCpu.MemoryKb(options.ServerPids) ?? 0);
                await Task.Delay(400);
            }
            return samples.Min();
        }
    }
}
