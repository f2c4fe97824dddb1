using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// ES modules under a versioned folder: <c>/js/v-{hash}/room.js</c>, where the hash covers every file
/// under <c>wwwroot/js</c>. A module's own imports are relative (<c>./room/page.js</c>), so a
/// <c>?v=</c> on the entry would not reach them; a version in the path does, and every module of one
/// build is kept by browsers for a year without asking, as <c>asp-append-version</c>'s files are.
/// </summary>
public sealed class ScriptModules
{
    private const string Folder = "/js";
    private readonly string version;
    private readonly string[] modules;

    public ScriptModules(IWebHostEnvironment environment)
    {
        var files = new List<(string Path, IFileInfo File)>();
        Collect(environment.WebRootFileProvider, Folder, files);
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, file) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(path));
            using var stream = file.CreateReadStream();
            var buffer = new byte[8192];
            int read;
            while ((read = stream.Read(buffer)) > 0)
                hash.AppendData(buffer.AsSpan(0, read));
        }
        version = "v-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
        modules = files.Select(f => f.Path).Where(p => p.StartsWith(Folder + "/room/", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>The versioned address of a script under <c>wwwroot/js</c>, such as <c>room.js</c>.</summary>
    public string Address(string name) => $"{Folder}/{version}/{name}";

    /// <summary>What the room page's entry imports, for <c>modulepreload</c>: fetched at once, side by side, rather than one after another.</summary>
    public IEnumerable<string> RoomModules => modules.Select(path => Address(path[(Folder.Length + 1)..]));

    private static void Collect(IFileProvider provider, string path, List<(string, IFileInfo)> into)
    {
        foreach (var entry in provider.GetDirectoryContents(path))
        {
            var child = $"{path}/{entry.Name}";
            if (entry.IsDirectory)
                Collect(provider, child, into);
            else if (entry.Name.EndsWith(".js", StringComparison.Ordinal))
                into.Add((child, entry));
        }
    }

    /// <summary>
    /// Serves <c>/js/v-{anything}/x.js</c> as <c>/js/x.js</c>, marked as versioned for the static
    /// files' cache header. (As with <c>?v=</c>, an old version's address gets the current file.)
    /// </summary>
    public static Task Rewrite(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value;
        if (path is not null && path.StartsWith(Folder + "/v-", StringComparison.Ordinal))
        {
            var end = path.IndexOf('/', Folder.Length + 1);
            if (end > 0)
            {
                context.Request.Path = Folder + path[end..];
                context.Items[nameof(ScriptModules)] = true;
            }
        }
        return next();
    }

    public static bool IsVersioned(HttpContext context) => context.Items.ContainsKey(nameof(ScriptModules));
}
