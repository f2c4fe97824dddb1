using System.Diagnostics;
using System.Net;

namespace AgentRooms.Bench;

/// <summary>
/// S9: full-text search over 100,000 messages in 100 rooms. The messages are sent as the composer sends
/// them (over room sockets), their words drawn from a Zipf-like vocabulary so that some words are in
/// half the messages and others in a handful. Then each kind of query (a common word, a rare one, two
/// words, a phrase, with <c>in:</c> and with <c>from:</c>) is asked at a fixed rate (open loop), as
/// the search page, by a person who is in every room (the most a search can have to look through).
/// </summary>
public static class Searches
{
    private static readonly string[] Syllables =
        ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "gu", "be", "fi", "ho", "ja", "ke", "lu", "mo", "ny"];

    /// <summary>Word n of the vocabulary: the, and, … first, then made-up words, so every word is its own.</summary>
    private static string Word(int rank) => rank < Common.Length ? Common[rank]
        : Syllables[rank % 20] + Syllables[rank / 20 % 20] + Syllables[rank / 400 % 20] + "x";

    private static readonly string[] Common = ["the", "and", "deploy", "build", "review", "coffee", "server", "agent", "release", "test"];
    private const int Vocabulary = 5000;

    public static async Task<List<RunResult>> Run(AppTarget target, BenchOptions options)
    {
        var perRoom = options.Counts[0];
        var rooms = new List<int>();
        for (var r = 0; r < options.Rooms; r++)
            rooms.Add(await target.CreateRoom(r));
        var random = new Random(9);
        // Zipf-like: rank = Vocabulary^u - 1 puts about half the draws in the first few dozen words.
        string Sentence() => string.Join(' ', Enumerable.Range(0, 12).Select(_ => Word((int)Math.Pow(Vocabulary, random.NextDouble()) - 1)));
        var texts = Enumerable.Range(0, rooms.Count * perRoom).Select(_ => Sentence()).ToArray();
        var seeded = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            for (var n = Interlocked.Increment(ref next); n < texts.Length; n = Interlocked.Increment(ref next))
                await target.Post(rooms[n % rooms.Count], texts[n]);
        }));
        Console.Error.WriteLine($"S9: {texts.Length} messages sent in {seeded.Elapsed.TotalSeconds:0} s");

        var phrase = string.Join(' ', texts[^1].Split(' ').Skip(4).Take(2));
        // A rare word that is there: in a handful of messages (the fewest, in a small run).
        var counts = texts.SelectMany(t => t.Split(' ').Distinct()).CountBy(w => w).ToDictionary();
        var rare = counts.Where(c => c.Value >= Math.Min(5, counts.Values.Max())).MinBy(c => c.Value).Key;
        var queries = new (string Name, string Query)[]
        {
            ("common word", Word(2)),
            ("rare word", rare),
            ("two words", $"{Word(5)} {Word(60)}"),
            ("phrase", $"\"{phrase}\""),
            ("in: a room", $"{Word(20)} in:\"Bench room 1\""),
            ("from: a person", $"{Word(20)} from:Bench"),
        };
        var browser = await target.SignedIn();
        var results = new List<RunResult>();
        foreach (var (name, query) in queries)
        {
            var path = "/search?q=" + Uri.EscapeDataString(query);
            for (var i = 0; i < 20; i++)
                await Ask(browser, path); // warm-up
            var count = (int)(options.Rate * options.Duration.TotalSeconds);
            var done = new long[count];
            var cpuBefore = ProcessCpu.Of(options.ServerPids);
            var schedule = await OpenLoop.Run(options.Rate, count, async n =>
            {
                await Ask(browser, path);
                done[n] = Stopwatch.GetTimestamp();
            });
            var cpuAfter = ProcessCpu.Of(options.ServerPids);
            var timings = Enumerable.Range(0, count).Where(n => done[n] > 0).Select(n => Clock.Ms(schedule.Scheduled[n], done[n])).Order().ToArray();
            var figures = new Dictionary<string, double>
            {
                [Figure.P50] = RoomSockets.Percentile(timings, 0.5),
                [Figure.P99] = RoomSockets.Percentile(timings, 0.99),
            };
            if (cpuBefore is { } before && cpuAfter is { } after)
                figures["server µs/query"] = (after - before).TotalMicroseconds / count;
            results.Add(new RunResult("s9", $"{texts.Length:N0} messages, {name}, {options.Rate:0}/s", options.Target,
                schedule.Failures == 0 && timings.Length == count, figures));
        }
        return results;
    }

    /// <summary>One search, its page read whole; it must have found something.</summary>
    private static async Task Ask(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !html.Contains("class=\"search-result\""))
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode} with no results");
    }
}
