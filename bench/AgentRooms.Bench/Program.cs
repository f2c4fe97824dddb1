// The load generator: opens room sockets, posts on a fixed clock, records when every member
// receives every post, checks completeness before reporting any speed.
using System.Diagnostics;
using AgentRooms.Bench;

if (args.FirstOrDefault() == "report")
    return await Report.Write(args);

var options = BenchOptions.Parse(args);
ITarget target = options.Target switch
{
    "app" => new AppTarget(options.Url),
    "b0" => new B0Target(options.Url),
    _ => throw new ArgumentException($"Unknown target {options.Target}"),
};

var result = await FanoutRun.Execute(target, options);
Console.WriteLine(result.Summary());
if (options.Out is { } path)
    await File.AppendAllTextAsync(path, result.ToJsonLine() + "\n");
return result.Complete ? 0 : 1;

namespace AgentRooms.Bench
{
    public sealed record BenchOptions(string Target, string Url, int Rooms, int Members, double Rate, TimeSpan Duration, int? ServerPid, string? Out)
    {
        public static BenchOptions Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var index = Array.IndexOf(args, $"--{name}");
                return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
            }
            return new BenchOptions(Get("target", "app"), Get("url", "http://127.0.0.1:5080"),
                int.Parse(Get("rooms", "2")), int.Parse(Get("members", "50")), double.Parse(Get("rate", "50")),
                TimeSpan.FromSeconds(double.Parse(Get("seconds", "5"))),
                Get("server-pid", "") is { Length: > 0 } pid ? int.Parse(pid) : null, Get("out", "") is { Length: > 0 } o ? o : null);
        }
    }

    /// <summary>Server CPU time from /proc, for µs per delivery.</summary>
    public static class ProcessCpu
    {
        public static TimeSpan? Of(int? pid)
        {
            if (pid is null || !File.Exists($"/proc/{pid}/stat"))
                return null;
            var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime + stime
            return TimeSpan.FromSeconds(ticks / 100.0);
        }

        public static long? MemoryKb(int? pid) =>
            pid is null ? null : File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:"))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault();
    }

    public static class Clock
    {
        public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
    }
}
