using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// The model behind every agent: an <see cref="IChatClient"/> over the OpenAI SDK, pointed at any
/// OpenAI-compatible endpoint. The SDK's own retries are off: the responder decides what to retry.
/// </summary>
public sealed class ModelClient(IOptions<AgentOptions> options)
{
    private readonly ConcurrentDictionary<string, IChatClient> clients = new();

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>
    /// Streams the model's answer. With <paramref name="tools"/>, the model may call them (function
    /// invocation: each call's result goes back to the model, which goes on), for as many rounds as the
    /// run has calls; a round after the last call goes without tools, so the model must answer.
    /// </summary>
    public IAsyncEnumerable<ChatResponseUpdate> Stream(IList<ChatMessage> messages, string? model, int maxOutputTokens, ToolRun? tools, CancellationToken cancel)
    {
        var client = For(string.IsNullOrWhiteSpace(model) ? options.Value.Model! : model);
        var chat = new ChatOptions { MaxOutputTokens = maxOutputTokens };
        if (tools is null)
            return client.GetStreamingResponseAsync(messages, chat, cancel);
        chat.Tools = tools.Functions;
        return new FunctionInvokingChatClient(new UntilSpent(client, tools))
        {
            MaximumIterationsPerRequest = options.Value.MaxToolCalls + 1,
            AllowConcurrentInvocation = false,
        }.GetStreamingResponseAsync(messages, chat, cancel);
    }

    /// <summary>Takes the tools away from the model's requests once the run has made all its calls.</summary>
    private sealed class UntilSpent(IChatClient inner, ToolRun run) : DelegatingChatClient(inner)
    {
        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (run.Spent && options is not null)
            {
                options = options.Clone();
                options.Tools = null;
                options.ToolMode = null;
            }
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }

    private IChatClient For(string model) => clients.GetOrAdd(model, name =>
    {
        var settings = options.Value;
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(settings.ApiKey) ? "none" : settings.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = new Uri(settings.Endpoint!),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                // The responder's own deadline ends the call; the SDK's timeout only backs it up. Were both equal they
                // would race, and a stall could be reported as "could not be reached" instead of "took too long".
                NetworkTimeout = settings.Deadline + TimeSpan.FromSeconds(30),
            });
        return client.GetChatClient(name).AsIChatClient();
    });
}
