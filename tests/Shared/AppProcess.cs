using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgentRooms.Tests.Shared;

/// <summary>The app as its own operating-system process on a loopback port, for tests that kill it.</summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process process;

    private AppProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>What the process wrote (warnings and errors; the last 500 lines), for diagnosing a failure.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (output)
                return output.ToList();
        }
    }

    private readonly Queue<string> output = new();

    private void Remember(string? line)
    {
        if (line is null)
            return;
        lock (output)
        {
            output.Enqueue(line);
            if (output.Count > 500)
                output.Dequeue();
        }
    }

    /// <summary>
    /// A loopback port free now and never handed out before in this test run. The system may give a
    /// port it just released to the next asker: two nodes started together got the same one, the
    /// second failed to bind, and its health probe was answered by the first.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
                if (HandedOut.Add(port))
                    return port;
        }
    }

    private static readonly HashSet<int> HandedOut = [];

    public static async Task<AppProcess> Start(int port, string provider, string connectionString, string hangfirePath,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var folder = AppContext.BaseDirectory;
        var start = StartInfo(provider, connectionString, "--urls", $"http://127.0.0.1:{port}", "--webroot", WebRoot(folder));
        start.Environment["Hangfire__SqlitePath"] = hangfirePath;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in TestSettings.Lifted)
            start.Environment[key.Replace(":", "__")] = value;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            if (value is null)
                start.Environment.Remove(name); // a setting taken away, the tests' own included
            else
                start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var app = new AppProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, line) => app.Remember(line.Data);
        process.ErrorDataReceived += (_, line) => app.Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The app exited with {process.ExitCode}");
            try
            {
                // Healthy, and answered by this process (not by another one on the same port).
                if ((await probe.GetAsync($"{app.BaseUrl}/healthz")).IsSuccessStatusCode && !process.HasExited)
                    return app;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        app.Dispose();
        throw new TimeoutException("The app did not become healthy in time");
    }

    /// <summary>Runs the app's dll with a command (e.g. <c>backup file</c>) on a database, to its end: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> Command(string provider, string connectionString, params string[] args)
    {
        using var process = Process.Start(StartInfo(provider, connectionString, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The app's dll with <paramref name="args"/>, on a database, in the test environment, its output read here.</summary>
    private static ProcessStartInfo StartInfo(string provider, string connectionString, params string[] args)
    {
        var folder = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, "AgentRooms.Web.dll"), .. args, "--contentRoot", folder])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Database__Provider"] = provider;
        start.Environment["ConnectionStrings__Default"] = connectionString;
        return start;
    }

    /// <summary>The repository's src/Web/wwwroot (with the restored htmx), so a browser gets scripts and styles from a process too.</summary>
    private static string WebRoot(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Web", "wwwroot")))
                return Path.Combine(dir.FullName, "src", "Web", "wwwroot");
        return Path.Combine(folder, "wwwroot");
    }

    /// <summary>kill -9: no shutdown, no goodbye to sockets, whatever was in flight is cut off.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
            KillHard();
        process.Dispose();
    }
}
