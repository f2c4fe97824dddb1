using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentRooms.Web.Features.Agents;

/// <summary>
/// The model behind every agent: an <see cref="IChatClient"/> over the OpenAI SDK, pointed at any
/// OpenAI-compatible endpoint. The SDK's own retries are off: the responder decides what to retry.
/// </summary>
public sealed class ModelClient(IOptions<AgentOptions> options)
{
    private readonly ConcurrentDictionary<string, IChatClient> clients = new();

    public bool IsConfigured => options.Value.IsConfigured;

    public IAsyncEnumerable<ChatResponseUpdate> Stream(IList<ChatMessage> messages, string? model, int maxOutputTokens, CancellationToken cancel) =>
        For(string.IsNullOrWhiteSpace(model) ? options.Value.Model! : model)
            .GetStreamingResponseAsync(messages, new ChatOptions { MaxOutputTokens = maxOutputTokens }, cancel);

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
