namespace AgentRooms.Web.Pages.Attachments;

/// <summary>Settings under <c>Attachments:</c>.</summary>
public sealed class AttachmentOptions
{
    /// <summary>The largest file, in bytes (25 MB). Counted while it streams in: nothing larger is kept, even briefly.</summary>
    public long MaxBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>What one person may upload in any 24 hours, in bytes (500 MB).</summary>
    public long DailyBytesPerPerson { get; set; } = 500L * 1024 * 1024;

    /// <summary>Files one message may carry.</summary>
    public int MaxPerMessage { get; set; } = 10;

    /// <summary>
    /// Where the files live: a folder on this machine (relative paths are under the app's data folder).
    /// Several nodes need one folder they all reach (a shared mount).
    /// </summary>
    public string Path { get; set; } = "files";

    /// <summary>Images larger than this many pixels are refused (a small file can decode to gigabytes).</summary>
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>An upload never sent with a message is removed after this long.</summary>
    public TimeSpan PendingFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often pending uploads past their time are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
