// The load generator: one command per scenario (BENCHMARK.md), each appending its results as JSON
// lines; "report" turns them into the Markdown report. bench/run.sh drives it.
using System.Diagnostics;
using System.Globalization;
using AgentRooms.Bench;

var command = args.FirstOrDefault() ?? "";
if (command == "report")
    return await Report.Write(args);

var options = BenchOptions.Parse(args);
ITarget target = options.Target switch
{
    "app" or "app-mariadb" or "app-2nodes" => new AppTarget(options.Url, options.SocketUrls) { Via = options.Via },
    "b0" => new B0Target(options.Url),
    "b2" => new B2Target(options.Url),
    _ => throw new ArgumentException($"Unknown target {options.Target}"),
};

var results = command switch
{
    "fanout" => await Fanout.Latency(target, options, options.Scenario),
    "capacity" => await Fanout.Capacity(target, options),
    "density" => await Density.Run(target, options),
    "posts" => await Posts.Run(target, options),
    "agents" => await Agents.Run((AppTarget)target, options),
    "pages" => await PageViews.Run((AppTarget)target, options),
    "search" => await Searches.Run((AppTarget)target, options),
    _ => throw new ArgumentException($"Unknown command '{command}' (fanout, capacity, density, posts, agents, pages, search, report)"),
};
foreach (var result in results)
{
    Console.WriteLine(result.Summary());
    if (options.Out is { } path)
        await File.AppendAllTextAsync(path, result.ToJsonLine() + "\n");
}
return results.All(r => r.Complete || r.Scenario == "s3-step") ? 0 : 1;

namespace AgentRooms.Bench
{
    public sealed record BenchOptions(string Target, string Url, int Rooms, int Members, double Rate, TimeSpan Duration, IReadOnlyList<int> ServerPids, string? Out)
    {
        public string Scenario { get; init; } = "s2";
        public double SlowPercent { get; init; }
        public int[] Counts { get; init; } = [1000, 10000];
        public int Concurrency { get; init; } = 16;
        public int ModelPort { get; init; }

        /// <summary>How the app's posts go: "form" or "socket" (S4s).</summary>
        public string Via { get; init; } = "form";
        public TimeSpan ModelLatency { get; init; } = TimeSpan.FromMilliseconds(100);

        /// <summary>S8: the server's web root, where the static file of the page's bytes is written.</summary>
        public string? StaticDir { get; init; }

        /// <summary>Where members' sockets connect, in turn (several nodes); the posting address when empty.</summary>
        public string[] SocketUrls { get; init; } = [];

        public static BenchOptions Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var index = Array.IndexOf(args, $"--{name}");
                return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
            }
            double Number(string name, string fallback) => double.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
            return new BenchOptions(Get("target", "app"), Get("url", "http://127.0.0.1:5080"),
                (int)Number("rooms", "2"), (int)Number("members", "50"), Number("rate", "50"),
                TimeSpan.FromSeconds(Number("seconds", "5")),
                Get("server-pid", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList(),
                Get("out", "") is { Length: > 0 } o ? o : null)
            {
                Scenario = Get("scenario", "s2"),
                SlowPercent = Number("slow-percent", "0"),
                Counts = Get("counts", "1000,10000").Split(',').Select(int.Parse).ToArray(),
                Concurrency = (int)Number("concurrency", "16"),
                ModelPort = (int)Number("model-port", "0"),
                ModelLatency = TimeSpan.FromMilliseconds(Number("model-latency-ms", "100")),
                SocketUrls = Get("socket-urls", "").Split(',', StringSplitOptions.RemoveEmptyEntries),
                Via = Get("via", "form"),
                StaticDir = Get("static-dir", "") is { Length: > 0 } dir ? dir : null,
            };
        }
    }

    /// <summary>Server CPU time and memory from /proc, summed over the server's processes (several nodes).</summary>
    public static class ProcessCpu
    {
        public static TimeSpan? Of(IReadOnlyList<int> pids) =>
            pids.Count == 0 || pids.Any(pid => !File.Exists($"/proc/{pid}/stat"))
                ? null
                : TimeSpan.FromSeconds(pids.Sum(pid =>
                {
                    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime
                }));

        public static long? MemoryKb(IReadOnlyList<int> pids) =>
            pids.Count == 0 || pids.Any(pid => !File.Exists($"/proc/{pid}/status"))
                ? null
                : pids.Sum(pid => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:"))
                    .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault());
    }

    public static class Clock
    {
        public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
    }
}
