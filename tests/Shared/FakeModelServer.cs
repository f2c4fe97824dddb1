using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRooms.Tests.Shared;

/// <summary>How the fake model answers one request.</summary>
public sealed record ModelScript
{
    public int Status { get; init; } = 200;
    public string[] Chunks { get; init; } = ["Hello ", "from ", "the model."];
    public TimeSpan Latency { get; init; }
    public TimeSpan BetweenChunks { get; init; }
    /// <summary>"stop", "length", or null for a stream that ends without one.</summary>
    public string? FinishReason { get; init; } = "stop";
    /// <summary>After the chunks, the stream goes on repeating them until the client hangs up.</summary>
    public bool Endless { get; init; }

    /// <summary>After this many chunks the stream goes silent until the client gives up.</summary>
    public int? StallAfter { get; init; }

    /// <summary>Tokens to report in the stream's last chunk (as OpenAI does when asked with <c>stream_options.include_usage</c>); none: no usage is sent.</summary>
    public (int Input, int Output)? Usage { get; init; }

    /// <summary>Tool calls to ask for (name and JSON arguments) instead of text, when the request offers tools (else it says <see cref="Chunks"/>).</summary>
    public (string Name, string Arguments)[] ToolCalls { get; init; } = [];

    /// <summary>How to answer the request after this one's tool calls (the one carrying their results); none: this script again.</summary>
    public ModelScript? Then { get; init; }

    public static ModelScript Say(params string[] chunks) => new() { Chunks = chunks };

    /// <summary>Asks for these tool calls (in the OpenAI format, streamed), then answers as <paramref name="then"/> says.</summary>
    public static ModelScript Call(ModelScript then, params (string Name, string Arguments)[] calls) =>
        new() { ToolCalls = calls, Then = then, FinishReason = "tool_calls" };
    public static ModelScript Fail(int status) => new() { Status = status };
}

/// <summary>
/// A real OpenAI-compatible HTTP server on loopback (<c>/v1/chat/completions</c>, streamed and not)
/// that answers by script, chosen by the requested model name, and records what it was sent.
/// </summary>
public sealed class FakeModelServer : IAsyncLifetime
{
    private WebApplication? server;

    public string Endpoint { get; private set; } = "";
    public ConcurrentDictionary<string, ModelScript> Scripts { get; } = new();
    public ModelScript Default { get; set; } = new();
    public ConcurrentQueue<ModelRequest> Requests { get; } = new();

    public IReadOnlyList<ModelRequest> RequestsFor(string model) => Requests.Where(r => r.Model == model).ToList();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        server = builder.Build();
        server.MapPost("/v1/chat/completions", Complete);
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = $"{address}/v1";
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }

    private async Task Complete(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        var model = (string?)body["model"] ?? "";
        var request = new ModelRequest(model, (bool?)body["stream"] == true,
            body["messages"]!.AsArray().Select(m => new ModelMessage((string)m!["role"]!, ContentOf(m["content"]), (string?)m["name"])
                {
                    Images = ImagesOf(m["content"]),
                    ToolCalls = m["tool_calls"] is JsonArray calls ? calls.Select(c => (string)c!["function"]!["name"]!).ToList() : NoCalls,
                }).ToList(),
            context.Request.Headers.Authorization.ToString())
        {
            MaxTokens = (int?)body["max_completion_tokens"] ?? (int?)body["max_tokens"],
            AskedForUsage = (bool?)body["stream_options"]?["include_usage"] == true,
            Tools = body["tools"] is JsonArray tools ? tools.Select(t => (string)t!["function"]!["name"]!).ToList() : NoCalls,
            ToolDefinitions = body["tools"]?.ToJsonString() ?? "",
        };
        Requests.Enqueue(request);
        var script = Scripts.GetValueOrDefault(model, Default);
        // A request carrying tool results answers as the script says next; one offering no tools is answered in words.
        for (var round = request.Messages.Count(m => m.Role == "assistant" && m.ToolCalls.Count > 0); round > 0 && script.Then is { } next; round--)
            script = next;
        if (script.ToolCalls.Length > 0 && request.Tools.Count == 0)
            script = script with { ToolCalls = [], FinishReason = "stop" };
        var cancel = context.RequestAborted;
        try
        {
            await Task.Delay(script.Latency, cancel);
            if (script.Status != 200)
            {
                context.Response.StatusCode = script.Status;
                await context.Response.WriteAsJsonAsync(new { error = new { message = $"scripted {script.Status}", type = "server_error" } }, cancel);
                return;
            }
            if (!request.Stream)
            {
                await context.Response.WriteAsJsonAsync(new
                {
                    id = "chatcmpl-fake", @object = "chat.completion", created = 1, model,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(script.Chunks) }, finish_reason = script.FinishReason } },
                }, cancel);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            if (script.ToolCalls.Length > 0)
            {
                for (var i = 0; i < script.ToolCalls.Length; i++)
                {
                    var (name, arguments) = script.ToolCalls[i];
                    await Event(context, new
                    {
                        role = i == 0 ? "assistant" : null,
                        tool_calls = new[] { new { index = i, id = $"call_{Guid.NewGuid():N}", type = "function", function = new { name, arguments } } },
                    }, null, model, cancel);
                }
                await Event(context, new { role = (string?)null, content = (string?)null }, "tool_calls", model, cancel);
                await context.Response.WriteAsync("data: [DONE]\n\n", cancel);
                return;
            }
            for (var i = 0; i < script.Chunks.Length; i++)
            {
                if (i == script.StallAfter)
                    await Task.Delay(Timeout.Infinite, cancel);
                await Event(context, new { role = i == 0 ? "assistant" : null, content = script.Chunks[i] }, null, model, cancel);
                await Task.Delay(script.BetweenChunks, cancel);
            }
            while (script.Endless)
                foreach (var chunk in script.Chunks)
                {
                    await Event(context, new { role = (string?)null, content = chunk }, null, model, cancel);
                    await Task.Delay(script.BetweenChunks, cancel);
                }
            if (script.StallAfter == script.Chunks.Length)
                await Task.Delay(Timeout.Infinite, cancel);
            if (script.FinishReason is not null)
                await Event(context, new { role = (string?)null, content = (string?)null }, script.FinishReason, model, cancel);
            if (script.Usage is { } usage && request.AskedForUsage)
            {
                var last = new
                {
                    id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1, model, choices = Array.Empty<object>(),
                    usage = new { prompt_tokens = usage.Input, completion_tokens = usage.Output, total_tokens = usage.Input + usage.Output },
                };
                await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(last)}\n\n", cancel);
            }
            await context.Response.WriteAsync("data: [DONE]\n\n", cancel);
        }
        catch (OperationCanceledException)
        {
            request.Cancelled = true;
        }
    }

    private static async Task Event(HttpContext context, object delta, string? finish, string model, CancellationToken cancel)
    {
        var chunk = new
        {
            id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1, model,
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        };
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", cancel);
        await context.Response.Body.FlushAsync(cancel);
    }

    /// <summary>The images of a message's parts (<c>image_url</c> with a data URL), decoded: what the model was shown.</summary>
    private static IReadOnlyList<(string MediaType, byte[] Bytes)> ImagesOf(JsonNode? content) =>
        content is not JsonArray parts ? NoImages : parts
            .Where(p => (string?)p?["type"] == "image_url")
            .Select(p => (string)p!["image_url"]!["url"]!)
            .Select(url => (url[5..url.IndexOf(';')], Convert.FromBase64String(url[(url.IndexOf(',') + 1)..]))) // data:image/jpeg;base64,...
            .ToList() is { Count: > 0 } images ? images : NoImages;

    /// <summary>One instance for "no tool calls", so that messages compare equal as records.</summary>
    private static readonly string[] NoCalls = Array.Empty<string>();

    /// <summary>One instance for "no images", so that messages compare equal as records.</summary>
    private static readonly (string MediaType, byte[] Bytes)[] NoImages = Array.Empty<(string, byte[])>();

    private static string ContentOf(JsonNode? content) => content switch
    {
        JsonValue value => (string?)value ?? "",
        JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? "")),
        _ => "",
    };
}

public sealed record ModelMessage(string Role, string Content, string? Name)
{
    /// <summary>Empty: the same instance as the server's "no images" (<see cref="Array.Empty{T}"/>), so expected messages compare equal.</summary>
    public IReadOnlyList<(string MediaType, byte[] Bytes)> Images { get; init; } = Array.Empty<(string, byte[])>();

    /// <summary>The tools an assistant message called (the same empty instance when none, like <see cref="Images"/>).</summary>
    public IReadOnlyList<string> ToolCalls { get; init; } = Array.Empty<string>();
}

public sealed record ModelRequest(string Model, bool Stream, IReadOnlyList<ModelMessage> Messages, string Authorization)
{
    public bool Cancelled { get; set; }
    public int? MaxTokens { get; init; }
    public bool AskedForUsage { get; init; }

    /// <summary>The names of the functions the request offered the model.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>The functions offered, as the request's JSON (their names, descriptions and parameters: input too).</summary>
    public string ToolDefinitions { get; init; } = "";
    public string System => string.Join("\n", Messages.Where(m => m.Role == "system").Select(m => m.Content));
    public string Conversation => string.Join("\n", Messages.Where(m => m.Role != "system").Select(m => m.Content));
}
