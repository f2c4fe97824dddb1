using System.Diagnostics;

namespace AgentRooms.Bench;

/// <summary>
/// Posts on a fixed clock, whatever the server's answers take (no coordinated omission): post n
/// leaves at start + n / rate, and its latency is measured from that scheduled moment.
/// </summary>
public static class OpenLoop
{
    public sealed record Schedule(long Start, long[] Scheduled, int Failures);

    public static async Task<Schedule> Run(double rate, int count, Func<int, Task> post)
    {
        var scheduled = new long[count];
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var posts = new List<Task>(count);
        var failures = 0;
        for (var n = 0; n < count; n++)
        {
            scheduled[n] = start + (long)(n * interval);
            while (Stopwatch.GetTimestamp() < scheduled[n])
                await Task.Delay(1);
            var index = n;
            posts.Add(Task.Run(async () =>
            {
                try { await post(index); }
                catch (Exception) { Interlocked.Increment(ref failures); }
            }));
        }
        await Task.WhenAll(posts);
        return new Schedule(start, scheduled, failures);
    }
}
