using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentRooms.Bench;

/// <summary>
/// S6: what the app adds between a mention and the first streamed token. A fake OpenAI-compatible
/// model on loopback (in this process, on the generator's CPU) answers every request after a fixed
/// latency with "answer-N" for the question N it was asked; the figure is the time from the post's
/// scheduled moment to "answer-N" arriving on a room socket, minus the model's own latency.
/// </summary>
public static partial class Agents
{
    public static async Task<List<RunResult>> Run(AppTarget target, BenchOptions options)
    {
        await using var model = await FakeModel.Start(options.ModelPort, options.ModelLatency);
        var roomId = await target.CreateRoom(0);
        await target.CreateAgent("bench");
        await target.AddAgent(roomId);
        var member = new Member(roomId, await target.Connect(roomId));
        var firstToken = new Dictionary<int, long>();
        member.OnFrame = (frame, at) =>
        {
            foreach (Match match in Answer().Matches(frame))
                lock (firstToken)
                    firstToken.TryAdd(int.Parse(match.Groups[1].Value), at);
        };
        using var stop = new CancellationTokenSource();
        var reader = member.Read(stop.Token);

        // Warm-up, not measured.
        for (var n = -5; n < 0; n++)
            await target.Post(roomId, $"@bench question {n}");
        await Task.Delay(2000);

        var count = (int)(options.Rate * options.Duration.TotalSeconds);
        var (_, scheduled, failures) = await OpenLoop.Run(options.Rate, count, n => target.Post(roomId, $"@bench question {n}"));
        var waitUntil = DateTime.UtcNow.AddSeconds(15);
        while (Answered() < count && DateTime.UtcNow < waitUntil)
            await Task.Delay(50);
        stop.Cancel();
        member.Socket.Abort();
        await reader;

        double[] added;
        lock (firstToken)
            added = Enumerable.Range(0, count).Where(firstToken.ContainsKey)
                .Select(n => Clock.Ms(scheduled[n], firstToken[n]) - options.ModelLatency.TotalMilliseconds).Order().ToArray();
        return
        [
            new RunResult("s6", $"mentions at {options.Rate:0}/s, model latency {options.ModelLatency.TotalMilliseconds:0} ms", "app",
                failures == 0 && added.Length == count, new()
                {
                    [Figure.AddedP50] = RoomSockets.Percentile(added, 0.5),
                    [Figure.AddedP99] = RoomSockets.Percentile(added, 0.99),
                    [Figure.Max] = added.LastOrDefault(),
                    ["model requests"] = model.Requests,
                }),
        ];

        int Answered()
        {
            lock (firstToken)
                return Enumerable.Range(0, count).Count(firstToken.ContainsKey);
        }
    }

    [GeneratedRegex(@"answer-(-?\d+)")]
    private static partial Regex Answer();
}

/// <summary>A fixed-latency OpenAI-compatible streaming endpoint, <c>/v1/chat/completions</c>.</summary>
public sealed partial class FakeModel : IAsyncDisposable
{
    private readonly WebApplication server;
    private int requests;

    private FakeModel(WebApplication server) => this.server = server;

    public int Requests => requests;

    public static async Task<FakeModel> Start(int port, TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var model = new FakeModel(app);
        app.MapPost("/v1/chat/completions", async context =>
        {
            Interlocked.Increment(ref model.requests);
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var conversation = string.Join("\n", body["messages"]!.AsArray().Select(m => (string?)m!["content"] ?? ""));
            var question = Question().Matches(conversation).LastOrDefault()?.Groups[1].Value ?? "?";
            await Task.Delay(latency, context.RequestAborted);
            context.Response.ContentType = "text/event-stream";
            await Chunk(context, new { role = "assistant", content = $"answer-{question}" }, null);
            await Chunk(context, new { role = (string?)null, content = " and that is all." }, null);
            await Chunk(context, new { role = (string?)null, content = (string?)null }, "stop");
            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        await app.StartAsync();
        return model;
    }

    private static async Task Chunk(HttpContext context, object delta, string? finish)
    {
        var chunk = new { id = "chatcmpl-bench", @object = "chat.completion.chunk", created = 1, model = "bench", choices = new[] { new { index = 0, delta, finish_reason = finish } } };
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [GeneratedRegex(@"question (-?\d+)")]
    private static partial Regex Question();
}
