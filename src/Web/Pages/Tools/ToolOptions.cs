using System.Text.RegularExpressions;

namespace AgentRooms.Web.Pages.Tools;

/// <summary>
/// <c>AI:ToolServers</c>: the Model Context Protocol servers whose tools agents may use. Each entry has
/// a <c>Name</c> and either a <c>Command</c> (with <c>Arguments</c>, run over stdio) or a <c>Url</c>
/// (Streamable HTTP or SSE). <c>Environment</c> gives a command its own variables (nothing of the
/// app's is passed on but PATH, HOME and the like); <c>Headers</c> go with every HTTP request (e.g. a key).
/// </summary>
public sealed partial class ToolOptions
{
    /// <summary>The name the app's own tools go by (<c>room/…</c>), which no server may take.</summary>
    public const string BuiltIn = "room";

    public List<ToolServerSetting> Servers { get; set; } = [];

    /// <summary>How long a server's list of tools is kept before it is asked again.</summary>
    public TimeSpan ListFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait for a server to connect and answer the list of its tools.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public static List<ToolServerSetting> Read(IConfigurationSection servers) => servers.GetChildren()
        .Select(entry => new ToolServerSetting
        {
            Name = entry["Name"]?.Trim() ?? "",
            Command = entry["Command"]?.Trim() is { Length: > 0 } command ? command : null,
            Arguments = entry.GetSection("Arguments").GetChildren().Select(a => a.Value ?? "").ToList(),
            Url = entry["Url"]?.Trim() is { Length: > 0 } url ? url : null,
            Environment = entry.GetSection("Environment").GetChildren().ToDictionary(e => e.Key, e => e.Value),
            Headers = entry.GetSection("Headers").GetChildren().ToDictionary(e => e.Key, e => e.Value ?? ""),
        })
        .ToList();

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem()
    {
        foreach (var server in Servers)
        {
            if (!ServerName().IsMatch(server.Name))
                return $"AI:ToolServers: the name \"{server.Name}\" is not 1 to 32 lowercase letters, digits or dashes";
            if (server.Name == BuiltIn)
                return $"AI:ToolServers: the name \"{BuiltIn}\" is the app's own tools' (room/search_room, room/remember); choose another";
            if ((server.Command is null) == (server.Url is null))
                return $"AI:ToolServers: the server \"{server.Name}\" needs either a Command or a Url, not both";
            if (server.Url is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme is "http" or "https"))
                return $"AI:ToolServers: the Url of \"{server.Name}\" is not an http(s) address";
        }
        return Servers.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? $"AI:ToolServers: the name \"{twice.Key}\" is used twice" : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex ServerName();
}

public sealed class ToolServerSetting
{
    public string Name { get; set; } = "";
    public string? Command { get; set; }
    public List<string> Arguments { get; set; } = [];
    public string? Url { get; set; }
    public Dictionary<string, string?> Environment { get; set; } = [];
    public Dictionary<string, string> Headers { get; set; } = [];
}
