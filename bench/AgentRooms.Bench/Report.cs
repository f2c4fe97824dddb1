using System.Globalization;
using System.Runtime;
using System.Text;

namespace AgentRooms.Bench;

/// <summary>
/// Turns the rounds' results into a Markdown report: per scenario, every figure as median and
/// min–max over the rounds that count, the app's ratios against B0 and B2, and the targets of
/// BENCHMARK.md met or not. Fails when a counted run was incomplete or a CPU ratio is absurd.
/// </summary>
public static class Report
{
    private static readonly (string Id, string Title, string What)[] Scenarios =
    [
        ("s1", "S1 density", "idle sockets spread over rooms of 100; memory per socket from the slope of server RSS between the two counts"),
        ("s2", "S2 latency", "paced open-loop posts; latency from each post's scheduled time to its arrival at every member"),
        ("s3", "S3 capacity", "rate ×1.25 per step until the all-members p99 reaches 100 ms; the best passing step's figures"),
        ("s3-step", "S3 steps", "every step of the step-up, for reading the curve"),
        ("s4", "S4 persisted posts", "closed-loop form posts through the real pipeline (antiforgery, auth, save, render, broadcast); post round-trip latency"),
        ("s4s", "S4s socket sends", "closed-loop send frames over room sockets, each done when the sender's own copy comes back on its socket (validate, save, render, broadcast)"),
        ("s5", "S5 slow readers", "the same room with and without 1 % of its members not reading; figures are for the members who read"),
        ("s6", "S6 agents", "mention posted to the agent's first streamed token on a room socket, minus the fake model's fixed latency"),
        ("s8", "S8 page views", "a member opening a room page of 50 messages at a fixed rate (open loop), against a static file of the page's same bytes from the same server in the same run; both asked for with Brotli accepted, so both are compressed alike"),
        ("s9", "S9 search", "100,000 messages in 100 rooms sent over sockets (words drawn Zipf-like from 5,000: the common word asked for is in about a third of them, the rare one in a handful), then each kind of query asked as the search page at a fixed rate (open loop) by a person in every room; latency from each query's scheduled time to its whole page"),
        ("s7", "S7 two nodes", "the same rooms on one node (app-mariadb) and on two nodes sharing MariaDB and Redis (app-2nodes: posts to node 1, members' sockets alternate between the nodes; node 1 on CPU 0, node 2 on CPU 1 beside the generator, as if each had a machine); server CPU and RSS are both nodes' sum"),
    ];

    public static async Task<int> Write(string[] args)
    {
        string Get(string name) => args[Array.IndexOf(args, $"--{name}") + 1];
        var results = (await File.ReadAllLinesAsync(Get("in"))).Where(l => l.Length > 0).Select(RunResult.FromJson).ToList();
        var maxRatio = double.Parse(Get("max-ratio"), CultureInfo.InvariantCulture);
        var ok = results.Where(r => r.Discarded is null && r.Scenario != "s3-step").All(r => r.Complete);

        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {Get("scenario")} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        md.AppendLine();
        md.AppendLine($"- commit {Get("commit")}; {Environment.ProcessorCount} cores; {Cpu()}; .NET {Environment.Version}, Node {Get("node")}");
        md.AppendLine($"- app and B0: server GC (the ASP.NET Core default); generator: {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        md.AppendLine("- server pinned to CPU 0, generator to CPU 1 (taskset); loopback only; Release builds; targets run alternately within each round");
        md.AppendLine("- targets: **app** = AgentRooms on SQLite (app-mariadb: on MariaDB; app-2nodes: two nodes on MariaDB and Redis), **b0** = minimal Kestrel fan-out, **b2** = socket.io 4.8 on Node; all send the same fragment (socket.io wraps it in its JSON event frame)");
        md.AppendLine("- completeness (every post delivered to every member once, in the room's order) is checked before any figure counts; a run where the generator's CPU passed 85 % is discarded");
        foreach (var (id, title, what) in Scenarios)
        {
            var runs = results.Where(r => r.Scenario == id).ToList();
            if (runs.Count == 0)
                continue;
            md.AppendLine();
            md.AppendLine($"## {title}");
            md.AppendLine();
            md.AppendLine(what + ".");
            md.AppendLine();
            var figures = runs.SelectMany(r => r.Figures.Keys).Distinct().ToList();
            md.AppendLine($"| shape | target | runs | complete | {string.Join(" | ", figures)} |");
            md.AppendLine($"|---|---|---|---|{string.Concat(figures.Select(_ => "---|"))}");
            foreach (var shape in runs.GroupBy(r => r.Shape))
            {
                foreach (var target in shape.GroupBy(r => r.Target))
                {
                    var counted = target.Where(r => r.Discarded is null).ToList();
                    var discarded = target.Count() - counted.Count;
                    md.AppendLine($"| {shape.Key} | {target.Key} | {counted.Count}{(discarded > 0 ? $" (+{discarded} discarded)" : "")} | " +
                                  $"{(counted.All(r => r.Complete) ? "yes" : "NO")} | {string.Join(" | ", figures.Select(f => Spread(counted, f)))} |");
                }
                foreach (var baseline in new[] { "b0", "b2", "static" })
                    foreach (var figure in new[] { Figure.CpuPerDelivery, Figure.KbPerSocket, Figure.CpuPerView })
                        if (Ratio(shape, "app", baseline, figure) is { } ratio)
                        {
                            md.AppendLine($"| | **app / {baseline.ToUpperInvariant()} {figure}** | | | {string.Join(" | ", figures.Select(f => f == figure ? $"**{ratio:0.00}×**" : ""))} |");
                            if (baseline == "b0" && figure == Figure.CpuPerDelivery && !(ratio < maxRatio))
                                ok = false;
                        }
            }
            foreach (var note in runs.Select(r => r.Note).OfType<string>().Distinct())
                md.AppendLine().Append("Note: ").AppendLine(note);
        }
        md.AppendLine();
        md.AppendLine("## Targets (BENCHMARK.md)");
        md.AppendLine();
        foreach (var line in Targets(results))
            md.AppendLine($"- {line}");
        md.AppendLine();
        md.AppendLine("Server CPU per delivery is measured over the whole posting window, so the app's figure includes its own work per post (form post, save, render) spread over the room's members.");
        await File.WriteAllTextAsync(Get("out"), md.ToString());
        Console.WriteLine(md);
        return ok ? 0 : 1;
    }

    private static IEnumerable<string> Targets(List<RunResult> results)
    {
        var counted = results.Where(r => r.Discarded is null && r.Complete).ToList();
        double? Median(string scenario, string target, string figure) =>
            counted.Where(r => r.Scenario == scenario && r.Target == target && r.Figures.ContainsKey(figure)).Select(r => r.Figures[figure]).ToList()
                is { Count: > 0 } values ? Middle(values) : null;
        string Verdict(bool met) => met ? "**met**" : "**not met**";

        foreach (var scenario in new[] { "s2", "s3" })
            foreach (var shape in counted.Where(r => r.Scenario == scenario).GroupBy(r => r.Shape))
            {
                if (Ratio(shape, "app", "b0", Figure.CpuPerDelivery) is { } b0)
                    yield return $"CPU per delivery ≤ 1.0 × B0 ({scenario.ToUpperInvariant()} {shape.Key}): {b0:0.00}× — {Verdict(b0 <= 1.0)}";
                if (Ratio(shape, "b2", "app", Figure.CpuPerDelivery) is { } b2)
                    yield return $"≥ 1.5 × socket.io's deliveries per core ({scenario.ToUpperInvariant()} {shape.Key}): {b2:0.00}× — {Verdict(b2 >= 1.5)}";
            }
        if (Median("s1", "app", Figure.KbPerSocket) is { } kb)
            yield return $"idle memory per socket ≤ 15 KB: {kb:0.0} KB — {Verdict(kb <= 15)}";
        if (Median("s3", "app", Figure.P99) is { } p99)
            yield return $"all-members p99 < 100 ms at capacity (S3's best step): {p99:0} ms at {Median("s3", "app", Figure.DeliveriesPerSecond):0} deliveries/s";
        if (Median("s4", "app", Figure.PostsPerSecond) is { } posts)
            yield return $"persisted posts/s on SQLite ≥ 1,000: {posts:0} — {Verdict(posts >= 1000)}";
        if (Median("s4s", "app", Figure.PostsPerSecond) is { } sends)
            yield return $"persisted sends/s over the socket on SQLite ≥ 2,000: {sends:0} — {Verdict(sends >= 2000)}";
        if (Median("s4s", "app-mariadb", Figure.PostsPerSecond) is { } mariaSends)
            yield return $"persisted sends/s over the socket on MariaDB ≥ 1,000: {mariaSends:0} — {Verdict(mariaSends >= 1000)}";
        if (Median("s6", "app", Figure.AddedP99) is { } added)
            yield return $"mention to first token over the model's latency, p99 < 100 ms: {added:0} ms — {Verdict(added < 100)}";
        foreach (var shape in counted.Where(r => r.Scenario == "s8").GroupBy(r => r.Shape))
            if (Ratio(shape, "app", "static", Figure.CpuPerView) is { } view)
                yield return $"room page view (S8 {shape.Key}), server CPU ≤ 2 × a static file of the same size: {view:0.00}×, p99 {Median("s8", "app", Figure.P99):0.0} ms — {Verdict(view <= 2)}";
        foreach (var group in counted.Where(r => r.Scenario == "s9").GroupBy(r => r.Target))
        {
            var worst = group.Max(r => r.Figures[Figure.P99]);
            var shape = group.First(r => r.Figures[Figure.P99] == worst).Shape;
            yield return $"search p99 < 50 ms over 100,000 messages ({group.Key}), the slowest kind of query: {worst:0.0} ms ({shape}) — {Verdict(worst < 50)}";
        }
        foreach (var shape in counted.Where(r => r.Scenario == "s7").GroupBy(r => r.Shape))
        {
            double? P99Of(string target) => shape.Where(r => r.Target == target).Select(r => r.Figures[Figure.P99]).ToList() is { Count: > 0 } v ? Middle(v) : null;
            if (P99Of("app-2nodes") is { } two && P99Of("app-mariadb") is { } one)
                yield return $"all-members p99 added by a second node (S7 {shape.Key}), < 20 ms: {two - one:0.0} ms ({two:0.0} against {one:0.0}) — {Verdict(two - one < 20)}";
        }
    }

    private static double? Ratio(IEnumerable<RunResult> shape, string over, string under, string figure)
    {
        double? MedianOf(string target) =>
            shape.Where(r => r.Target == target && r.Discarded is null && r.Figures.ContainsKey(figure))
                .Select(r => r.Figures[figure]).ToList() is { Count: > 0 } values ? Middle(values) : null;
        return MedianOf(over) is { } a && MedianOf(under) is { } b && b > 0 ? a / b : null;
    }

    private static string Spread(List<RunResult> runs, string figure)
    {
        var values = runs.Where(r => r.Figures.ContainsKey(figure)).Select(r => r.Figures[figure]).Where(v => !double.IsNaN(v)).Order().ToList();
        return values.Count == 0 ? "" : values.Count == 1 ? Format(values[0]) : $"{Format(Middle(values))} ({Format(values[0])}–{Format(values[^1])})";
    }

    private static string Format(double value) => value >= 1000 ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static double Middle(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Cpu() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':')[1].Trim() ?? "cpu unknown"
            : "cpu unknown";
}
