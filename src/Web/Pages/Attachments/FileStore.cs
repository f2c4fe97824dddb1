using System.Text.RegularExpressions;

namespace AgentRooms.Web.Pages.Attachments;

/// <summary>
/// Where finished files live, by name (an attachment's key and what is made from it). The names are
/// the app's own (<see cref="Names"/>), never anything a person typed, so no name reaches outside it.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="name"/> from a finished local file (which the store may move).</summary>
    Task Put(string name, string localFile, CancellationToken cancel);

    /// <summary>The file to read, or null if it is gone.</summary>
    Stream? Open(string name);

    /// <summary>Removes it; one already gone is no error.</summary>
    void Delete(string name);

    /// <summary>A local file to write a file being received into (the store's own folder, so a finished one moves in).</summary>
    string NewWorkFile();
}

/// <summary>The names an attachment's files have in the store.</summary>
public static class Names
{
    public static string Original(Guid key) => key.ToString("N");

    public static string Thumbnail(Guid key) => key.ToString("N") + ".thumb";
}

/// <summary>A folder on this machine (or a mount several nodes share).</summary>
public sealed partial class DiskFileStore : IFileStore
{
    private readonly string root;
    private readonly string work;

    public DiskFileStore(string root)
    {
        this.root = Directory.CreateDirectory(root).FullName;
        work = Directory.CreateDirectory(Path.Combine(this.root, "incoming")).FullName;
    }

    public Task Put(string name, string localFile, CancellationToken cancel)
    {
        var target = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(localFile, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Stream? Open(string name)
    {
        try
        {
            return new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string name) => File.Delete(PathOf(name));

    public string NewWorkFile() => Path.Combine(work, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>Spread over 256 folders (by the key's first two characters), so no folder holds them all.</summary>
    private string PathOf(string name)
    {
        if (!StoreName().IsMatch(name))
            throw new ArgumentException($"Not a store name: {name}", nameof(name));
        return Path.Combine(root, name[..2], name);
    }

    [GeneratedRegex(@"^[0-9a-f]{32}(\.thumb)?$")]
    private static partial Regex StoreName();
}
