using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentRooms.Web.Pages.Tools;

/// <summary>One tool a server offers, named <c>server/tool</c> where agents choose it.</summary>
public sealed record OfferedTool(string Server, McpClientTool Tool)
{
    public string Id => $"{Server}/{Tool.Name}";
}

/// <summary>A server's tools, or why it could not be asked.</summary>
public sealed record ServerTools(string Server, IReadOnlyList<OfferedTool> Tools, string? Problem);

/// <summary>
/// The site's tool servers (<see cref="ToolOptions"/>) over the Model Context Protocol, with the
/// official SDK's client: connected on first use, one connection per server for the whole node,
/// reconnected when a server went away. Their lists of tools are kept for <see cref="ToolOptions.ListFor"/>.
/// </summary>
public sealed class ToolServers(IOptions<ToolOptions> options, ILoggerFactory loggers, ILogger<ToolServers> logger) : IAsyncDisposable
{
    private sealed class Server
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public McpClient? Client;
        public IReadOnlyList<OfferedTool> Tools = [];
        public DateTime ListedAt;
    }

    private readonly ConcurrentDictionary<string, Server> servers = new();

    public bool Configured => options.Value.Servers.Count > 0;

    /// <summary>Every server's tools (or what went wrong asking it), in the order the settings name them.</summary>
    public async Task<IReadOnlyList<ServerTools>> List(CancellationToken cancel) =>
        await Task.WhenAll(options.Value.Servers.Select(setting => Listing(setting, cancel)));

    /// <summary>Those of <paramref name="ids"/> (<c>server/tool</c>) that a server offers now; a server that cannot be reached offers none.</summary>
    public async Task<IReadOnlyList<OfferedTool>> Offered(IReadOnlyCollection<string> ids, CancellationToken cancel)
    {
        if (ids.Count == 0 || !Configured)
            return [];
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var servers = wanted.Select(id => id.Split('/')[0]).ToHashSet();
        var listed = await Task.WhenAll(options.Value.Servers.Where(s => servers.Contains(s.Name)).Select(setting => Listing(setting, cancel)));
        return listed.SelectMany(s => s.Tools).Where(t => wanted.Contains(t.Id)).ToList();
    }

    private async Task<ServerTools> Listing(ToolServerSetting setting, CancellationToken cancel)
    {
        var server = servers.GetOrAdd(setting.Name, _ => new Server());
        await server.Gate.WaitAsync(cancel);
        try
        {
            if (server.Client is { Completion.IsCompleted: false } && DateTime.UtcNow - server.ListedAt < options.Value.ListFor)
                return new ServerTools(setting.Name, server.Tools, null);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(options.Value.ConnectTimeout);
            try
            {
                if (server.Client is not { Completion.IsCompleted: false })
                {
                    await Forget(server);
                    server.Client = await McpClient.CreateAsync(Transport(setting),
                        new McpClientOptions { ClientInfo = new Implementation { Name = "AgentRooms", Version = "1.0" } }, loggers, timeout.Token);
                }
                server.Tools = (await server.Client.ListToolsAsync(cancellationToken: timeout.Token))
                    .Select(tool => new OfferedTool(setting.Name, tool)).ToList();
                server.ListedAt = DateTime.UtcNow;
                return new ServerTools(setting.Name, server.Tools, null);
            }
            catch (Exception error) when (!cancel.IsCancellationRequested)
            {
                logger.LogWarning(error, "Tool server {Server} could not be asked for its tools", setting.Name);
                await Forget(server);
                return new ServerTools(setting.Name, [], timeout.IsCancellationRequested
                    ? $"no answer within {options.Value.ConnectTimeout.TotalSeconds:0} seconds"
                    : $"could not connect ({error.GetType().Name})");
            }
        }
        finally
        {
            server.Gate.Release();
        }
    }

    /// <summary>
    /// A command runs with only the basic variables (PATH, HOME, …) and those its entry names: the
    /// app's own settings, its keys and connection strings among them, never reach a tool.
    /// </summary>
    private IClientTransport Transport(ToolServerSetting setting)
    {
        if (setting.Url is { } url)
            return new HttpClientTransport(new HttpClientTransportOptions
            {
                Name = setting.Name,
                Endpoint = new Uri(url),
                AdditionalHeaders = setting.Headers,
                ConnectionTimeout = options.Value.ConnectTimeout,
            }, loggers);
        var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        foreach (var (name, value) in setting.Environment)
            environment[name] = value;
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = setting.Name,
            Command = setting.Command!,
            Arguments = setting.Arguments,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment,
        }, loggers);
    }

    private static async Task Forget(Server server)
    {
        if (server.Client is { } client)
        {
            server.Client = null;
            server.Tools = [];
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception)
            {
                // It was broken already; nothing is lost.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers.Values)
            await Forget(server);
    }
}
