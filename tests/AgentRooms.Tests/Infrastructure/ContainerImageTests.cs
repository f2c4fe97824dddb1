using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>
/// The image <c>dotnet publish /t:PublishContainer</c> builds, checked as far as this machine allows
/// (it has no container engine, and the real base image's registry is out of reach, so the base comes
/// from <see cref="FakeRegistry"/>): its configuration, and its files started as its entrypoint says.
/// </summary>
public sealed class ContainerImageTests : IAsyncLifetime
{
    private readonly FakeRegistry registry = new();
    private readonly string folder = Directory.CreateTempSubdirectory("agentrooms-image-").FullName;

    public Task InitializeAsync() => registry.Start();

    public async Task DisposeAsync()
    {
        await registry.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_image_runs_the_app_as_a_non_root_user_on_8080_with_its_files_in_the_volume()
    {
        // Built from a copy of the source, so this build shares no obj/ folder with the one under test.
        var source = CopyOfTheSource();
        var archive = Path.Combine(folder, "agentrooms.tar.gz");
        var (exit, output) = await Run(Path.Combine(source, "src", "Web"), TimeSpan.FromMinutes(10), "dotnet", "publish", "AgentRooms.Web.csproj",
            "-c", "Release", "--os", "linux", "--arch", "x64", "-t:PublishContainer", "-p:ContainerImageTag=test",
            $"-p:ContainerBaseImage={registry.BaseImage}", $"-p:ContainerArchiveOutputPath={archive}");
        Assert.True(exit == 0, $"{output}\nregistry asked: {string.Join(", ", registry.Requests)}");

        var (config, layers) = Read(archive);
        var run = config["config"]!;
        Assert.Equal("1654", (string?)run["User"]);
        Assert.Equal("/app/", (string?)run["WorkingDir"]);
        Assert.Equal(["8080/tcp"], run["ExposedPorts"]!.AsObject().Select(p => p.Key));
        var environment = run["Env"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", environment);
        Assert.Contains("Data__Path=/home/app/data", environment);
        Assert.Contains("APP_UID=1654", environment); // the base image's, kept
        Assert.Equal("AgentRooms", (string?)run["Labels"]!["org.opencontainers.image.title"]);
        var entrypoint = run["Entrypoint"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.NotEmpty(entrypoint);

        // The layers, unpacked in order, are the container's files: the base's, then the app.
        var root = Path.Combine(folder, "rootfs");
        foreach (var layer in layers)
            await Unpack(layer, root);
        Assert.True(Directory.Exists(Path.Combine(root, "home", "app")));
        Assert.True(File.Exists(Path.Combine(root, "app", "wwwroot", "lib", "htmx", "htmx.min.js")), "htmx is in the image");
        Assert.False(Directory.Exists(Path.Combine(root, "app", "App_Data")), "no data of the build machine's in the image");

        // Started as the entrypoint says, with the image's environment (its port and its volume moved to free
        // places here), it serves pages from SQLite in the data folder.
        var port = AppProcess.FreePort();
        var data = Path.Combine(root, "home", "app", "data");
        var command = entrypoint.Select(part => part.StartsWith('/') ? Path.Combine(root, part[1..]) : part).ToList();
        var start = new ProcessStartInfo(command[0] == "dotnet" ? "dotnet" : command[0], command.Skip(1))
        {
            WorkingDirectory = Path.Combine(root, "app"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        foreach (var pair in environment.Select(e => e.Split('=', 2)))
            start.Environment[pair[0]] = pair[1];
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
        start.Environment["Data__Path"] = data;
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Environment.ProcessPath)!; // where the base image has the runtime
        using var app = Process.Start(start)!;
        var logs = app.StandardOutput.ReadToEndAsync();
        var errors = app.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            if (!await Healthy(client, app, TimeSpan.FromSeconds(60)))
            {
                app.Kill(entireProcessTree: true);
                Assert.Fail($"The image's app did not become healthy:\n{await logs}{await errors}");
            }
            var page = await client.GetAsync("/Account/Register");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("AgentRooms", await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/lib/htmx/htmx.min.js")).StatusCode);
            Assert.True(File.Exists(Path.Combine(data, "agentrooms.db")), "the database is in the data folder");
        }
        finally
        {
            if (!app.HasExited)
                app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static async Task<bool> Healthy(HttpClient client, Process app, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !app.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                    return true;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>What the build needs of the repository: the two projects (no bin, obj or data) and the files that set versions.</summary>
    private string CopyOfTheSource()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "AgentRooms.sln")))
            repository = repository.Parent ?? throw new InvalidOperationException("The repository was not found above the tests");
        var copy = Path.Combine(folder, "source");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(repository.FullName, file), Path.Combine(Directory.CreateDirectory(copy).FullName, file));
        foreach (var project in new[] { "Data", "Web" })
            CopyFolder(Path.Combine(repository.FullName, "src", project), Path.Combine(copy, "src", project));
        return copy;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            if (Path.GetFileName(directory) is not ("bin" or "obj" or "App_Data"))
                CopyFolder(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    /// <summary>The image in a docker-save or OCI-layout archive: its config, and its layers (as tar streams) in order.</summary>
    private static (JsonNode Config, List<byte[]> Layers) Read(string archive)
    {
        var entries = new Dictionary<string, byte[]>();
        var file = File.ReadAllBytes(archive);
        using (var reader = new TarReader(Unpacked(file)))
            while (reader.GetNextEntry() is { } entry)
                if (entry.DataStream is { } stream)
                {
                    using var bytes = new MemoryStream();
                    stream.CopyTo(bytes);
                    entries[entry.Name.TrimStart('.', '/')] = bytes.ToArray();
                }
        byte[] Blob(string digest) => entries[$"blobs/{digest.Replace(':', '/')}"];
        if (entries.TryGetValue("manifest.json", out var saved))
        {
            var image = JsonNode.Parse(saved)!.AsArray()[0]!;
            return (JsonNode.Parse(entries[(string)image["Config"]!])!, image["Layers"]!.AsArray().Select(l => entries[(string)l!]).ToList());
        }
        var index = JsonNode.Parse(entries["index.json"])!;
        var manifest = JsonNode.Parse(Blob((string)index["manifests"]![0]!["digest"]!))!;
        return (JsonNode.Parse(Blob((string)manifest["config"]!["digest"]!))!, manifest["layers"]!.AsArray().Select(l => Blob((string)l!["digest"]!)).ToList());
    }

    private static async Task Unpack(byte[] layer, string root)
    {
        await using var stream = Unpacked(layer);
        Directory.CreateDirectory(root);
        await TarFile.ExtractToDirectoryAsync(stream, root, overwriteFiles: true);
    }

    /// <summary>A tar, gzipped or not.</summary>
    private static Stream Unpacked(byte[] bytes) =>
        bytes is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress) : new MemoryStream(bytes);

    private static async Task<(int ExitCode, string Output)> Run(string directory, TimeSpan limit, string command, params string[] args)
    {
        var start = new ProcessStartInfo(command, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish in {limit}: {await output}");
        }
        return (process.ExitCode, await output + await errors);
    }
}
