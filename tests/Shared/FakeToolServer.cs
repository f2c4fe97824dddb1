using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentRooms.Tests.Shared;

/// <summary>
/// A real Model Context Protocol server on loopback, made with the official SDK's server side (Streamable
/// HTTP at <c>/mcp</c>): <c>now</c> tells a fixed time, <c>lookup</c> answers from <see cref="Entries"/>.
/// It records every call it is sent.
/// </summary>
public sealed class FakeToolServer : IAsyncLifetime
{
    public const string Time = "It is 10:30 UTC on 3 December 2026.";

    private WebApplication? server;

    public string Url { get; private set; } = "";
    public ConcurrentDictionary<string, string> Entries { get; } = new();
    public ConcurrentQueue<(string Tool, string Argument)> Calls { get; } = new();

    /// <summary>Who each call to <c>now</c> was made for, as its <c>_meta</c> said: "{room} {asker}".</summary>
    public ConcurrentQueue<string> Meta { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools([
            McpServerTool.Create([Description("Tells the current date and time.")] (RequestContext<CallToolRequestParams> request) =>
            {
                Calls.Enqueue(("now", ""));
                Meta.Enqueue($"{request.Params?.Meta?["agentrooms/room"]} {request.Params?.Meta?["agentrooms/asker"]}");
                return Time;
            }, new McpServerToolCreateOptions { Name = "now" }),
            McpServerTool.Create([Description("Looks a term up in the team's glossary.")] (string term) =>
            {
                Calls.Enqueue(("lookup", term));
                return Entries.TryGetValue(term, out var entry) ? entry : $"No entry for {term}.";
            }, new McpServerToolCreateOptions { Name = "lookup" }),
            // A tool that changes something, as its annotations say: replies ask before calling it unless the administrator says otherwise.
            McpServerTool.Create([Description("Files a ticket in the team's tracker.")] (string title) =>
            {
                Calls.Enqueue(("file_ticket", title));
                return $"Filed ticket #42: {title}";
            }, new McpServerToolCreateOptions { Name = "file_ticket", ReadOnly = false, Destructive = true }),
        ]);
        server = builder.Build();
        server.MapMcp("/mcp");
        await server.StartAsync();
        Url = $"{server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()}/mcp";
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }
}
