using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;

namespace AgentRooms.Bench;

/// <summary>Turns the rounds' results into a Markdown report: every figure as median and min–max, and the app/B0 CPU ratio.</summary>
public static class Report
{
    public static async Task<int> Write(string[] args)
    {
        string Get(string name) => args[Array.IndexOf(args, $"--{name}") + 1];
        var results = (await File.ReadAllLinesAsync(Get("in"))).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<FanoutResult>(l)!).ToList();
        var maxRatio = double.Parse(Get("max-ratio"), CultureInfo.InvariantCulture);

        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {Get("scenario")} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        md.AppendLine();
        md.AppendLine($"- commit {Get("commit")}; {Environment.ProcessorCount} cores; {Cpu()}; .NET {Environment.Version}; GC {(GCSettings.IsServerGC ? "server" : "workstation")}");
        md.AppendLine("- server pinned to CPU 0, generator to CPU 1 (taskset); loopback; Release builds; app on SQLite");
        md.AppendLine("- latency from each post's scheduled time to its arrival at every member; completeness checked before any figure");
        md.AppendLine();
        md.AppendLine("| shape | target | rounds | complete | p50 ms | p99 ms | max ms | server µs/delivery | RSS MB |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        var ok = results.All(r => r.Complete);
        foreach (var shape in results.GroupBy(r => (r.Rooms, r.Members, r.Rate)))
        {
            foreach (var target in shape.GroupBy(r => r.Target))
            {
                var runs = target.ToList();
                md.AppendLine($"| {shape.Key.Rooms}×{shape.Key.Members} at {shape.Key.Rate}/s | {target.Key} | {runs.Count} | {(runs.All(r => r.Complete) ? "yes" : "NO")} | " +
                              $"{Spread(runs, r => r.P50Ms)} | {Spread(runs, r => r.P99Ms)} | {Spread(runs, r => r.MaxMs)} | " +
                              $"{Spread(runs, r => r.ServerCpuMicrosPerDelivery ?? double.NaN)} | {Spread(runs, r => (r.ServerRssKb ?? 0) / 1024.0)} |");
            }
            var app = shape.Where(r => r.Target == "app").Select(r => r.ServerCpuMicrosPerDelivery ?? double.NaN).ToList();
            var b0 = shape.Where(r => r.Target == "b0").Select(r => r.ServerCpuMicrosPerDelivery ?? double.NaN).ToList();
            if (app.Count > 0 && b0.Count > 0)
            {
                var ratio = Median(app) / Median(b0);
                md.AppendLine($"| | **app / B0 CPU per delivery** | | | | | | **{ratio:0.00}×** | |");
                if (!(ratio < maxRatio))
                    ok = false;
            }
        }
        md.AppendLine();
        md.AppendLine("CPU per delivery is measured over the whole posting window, so it includes the app's own work per post (form post, save, render) spread over the room's members.");
        await File.WriteAllTextAsync(Get("out"), md.ToString());
        Console.WriteLine(md);
        return ok ? 0 : 1;
    }

    private static string Spread(List<FanoutResult> runs, Func<FanoutResult, double> figure)
    {
        var values = runs.Select(figure).Where(v => !double.IsNaN(v)).Order().ToList();
        return values.Count == 0 ? "n/a" : values.Count == 1 ? $"{values[0]:0.0}" : $"{Median(values):0.0} ({values[0]:0.0}–{values[^1]:0.0})";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static string Cpu() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':')[1].Trim() ?? "cpu unknown"
            : "cpu unknown";
}
