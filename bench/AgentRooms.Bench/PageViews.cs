using System.Diagnostics;
using System.Net;

namespace AgentRooms.Bench;

/// <summary>
/// S8: a member opening a room page of 50 messages, at a fixed rate (open loop), against a static
/// file of the same bytes served by the same server in the same run (the page's HTML, saved into the
/// server's web root). Both are asked for as a browser asks (Brotli accepted), so both pay the same
/// compression. Server CPU per view from /proc over each run; latency from each view's scheduled time.
/// </summary>
public static class PageViews
{
    public const string StaticName = "bench-room-page.html";

    public static async Task<List<RunResult>> Run(AppTarget target, BenchOptions options)
    {
        var roomId = await target.CreateRoom(0);
        for (var i = 0; i < 50; i++)
            await target.Post(roomId, $"Message {i}: the **kettle** is on, and the `tea` in room {roomId} is _nearly_ ready — who wants a cup? https://example.test/{i}");
        var client = await target.SignedIn();
        var pagePath = $"/rooms/{roomId}";
        var html = await client.GetStringAsync(pagePath);
        if (options.StaticDir is not { } staticDir)
            throw new ArgumentException("S8 needs --static-dir, the server's web root, for the static file of the same bytes");
        await File.WriteAllTextAsync(Path.Combine(staticDir, StaticName), html);

        var shape = $"50 messages, {options.Rate:0} views/s";
        var results = new List<RunResult>();
        foreach (var (name, path) in new[] { ("app", pagePath), ("static", "/" + StaticName) })
        {
            using var browser = target.Browser();
            for (var i = 0; i < 50; i++)
                await View(browser, path); // warm-up: caches, JIT, connections
            var count = (int)(options.Rate * options.Duration.TotalSeconds);
            var done = new long[count];
            long bytes = 0;
            var cpuBefore = ProcessCpu.Of(options.ServerPids);
            var schedule = await OpenLoop.Run(options.Rate, count, async n =>
            {
                Interlocked.Exchange(ref bytes, await View(browser, path));
                done[n] = Stopwatch.GetTimestamp();
            });
            var cpuAfter = ProcessCpu.Of(options.ServerPids);
            var timings = Enumerable.Range(0, count).Where(n => done[n] > 0).Select(n => Clock.Ms(schedule.Scheduled[n], done[n])).Order().ToArray();
            var figures = new Dictionary<string, double>
            {
                [Figure.P50] = RoomSockets.Percentile(timings, 0.5),
                [Figure.P99] = RoomSockets.Percentile(timings, 0.99),
                ["KB sent"] = bytes / 1024.0,
                ["KB raw"] = html.Length / 1024.0,
            };
            if (cpuBefore is { } before && cpuAfter is { } after)
                figures[Figure.CpuPerView] = (after - before).TotalMicroseconds / count;
            results.Add(new RunResult("s8", shape, name, schedule.Failures == 0 && timings.Length == count, figures));
        }
        return results;
    }

    /// <summary>One view: the whole (compressed) body read; its length.</summary>
    private static async Task<long> View(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        return (await response.Content.ReadAsByteArrayAsync()).LongLength;
    }
}
