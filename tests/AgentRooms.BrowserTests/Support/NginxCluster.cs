using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AgentRooms.Tests.Shared;
using MySqlConnector;

namespace AgentRooms.BrowserTests.Support;

/// <summary>
/// The README's several-nodes recipe on loopback: two app processes sharing a fresh MariaDB database
/// and Redis, behind nginx running <c>deploy/nginx.conf</c> with only its addresses changed.
/// </summary>
public sealed partial class NginxCluster : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("agentrooms-nginx-").FullName;
    private readonly string database = $"agentrooms_nginx_{Guid.NewGuid():N}"[..32];
    private readonly List<AppProcess> nodes = [];
    private Process? nginx;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = Required("AGENTROOMS_TEST_REDIS"),
            ["Redis__Prefix"] = database,
            // Each node says which sockets it holds, so a test can see where a person's socket landed.
            ["Logging__LogLevel__AgentRooms.Web.Realtime.RoomSocketEndpoint"] = "Debug",
        };
        var connection = $"{Required("AGENTROOMS_TEST_MYSQL")};Database={database}";
        // The first node creates and migrates the database; the second finds it ready.
        for (var n = 1; n <= 2; n++)
            nodes.Add(await AppProcess.Start(AppProcess.FreePort(), "MySql", connection, Path.Combine(folder, $"hangfire{n}.db"), settings));

        var port = AppProcess.FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "agentrooms.conf"), Recipe(port));
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            worker_processes 1;
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/agentrooms.conf;
            }
            """);
        // Workers may run as another user when the tests run as root.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var binary = Environment.GetEnvironmentVariable("AGENTROOMS_NGINX") is { Length: > 0 } path ? path : "/usr/sbin/nginx";
        nginx = Process.Start(new ProcessStartInfo(binary, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        BaseUrl = $"http://127.0.0.1:{port}";
        await Listening(port);
    }

    /// <summary>deploy/nginx.conf with the nodes' addresses, a loopback port and no server name; everything else as committed.</summary>
    private string Recipe(int port)
    {
        var recipe = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx.conf"));
        var servers = string.Join("\n", nodes.Select(n => $"    server {new Uri(n.BaseUrl).Authority};"));
        recipe = UpstreamServers().Replace(recipe, "");
        recipe = recipe.Replace("upstream agentrooms {", $"upstream agentrooms {{\n{servers}");
        recipe = ListenLine().Replace(recipe, $"listen 127.0.0.1:{port};");
        if (!recipe.Contains($"listen 127.0.0.1:{port};") || !recipe.Contains(servers))
            throw new InvalidOperationException($"deploy/nginx.conf no longer has the shape this test adapts:\n{recipe}");
        return recipe;
    }

    /// <summary>The node holding the person's one open socket (by display name), or null while they have none or several.</summary>
    public AppProcess? NodeWithSocketOf(string name)
    {
        var holding = nodes.Where(node => Count(node, "opened", name) > Count(node, "closed", name)).ToList();
        return holding.Count == 1 ? holding[0] : null;
    }

    public int SocketsOpenedBy(string name) => nodes.Sum(node => Count(node, "opened", name));

    private static int Count(AppProcess node, string what, string name) =>
        node.Output.Count(line => line.Contains($"socket {what} for") && line.EndsWith($"({name})"));

    public async Task DisposeAsync()
    {
        if (nginx is { HasExited: false })
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
        }
        foreach (var node in nodes)
            node.Dispose();
        try
        {
            await using var connection = new MySqlConnection(Required("AGENTROOMS_TEST_MYSQL"));
            await connection.OpenAsync();
            await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{database}`", connection);
            await drop.ExecuteNonQueryAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task Listening(int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (nginx!.HasExited)
                throw new InvalidOperationException($"nginx exited with {nginx.ExitCode}: {await nginx.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("nginx did not start listening");
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set. Run the tests with scripts/test.sh, which starts MariaDB, Redis and nginx's prerequisites.");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "nginx.conf")))
                return dir.FullName;
        throw new InvalidOperationException("deploy/nginx.conf not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*server\s+\S+:\d+;[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex UpstreamServers();

    [GeneratedRegex(@"listen\s+80;")]
    private static partial Regex ListenLine();
}
