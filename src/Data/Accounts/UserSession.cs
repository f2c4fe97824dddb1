namespace AgentRooms.Data.Accounts;

/// <summary>
/// One signed-in browser of a person's, listed on their profile so they can see where they are signed
/// in and end any of it. Its <see cref="Id"/> is the session id the cookie carries; signing that session
/// out removes the row (and revokes the id, <see cref="RevokedSession"/>).
/// </summary>
public class UserSession
{
    public const int DeviceMaxLength = 200;

    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public User? User { get; set; }

    /// <summary>The browser, as its User-Agent named it when it signed in (shortened).</summary>
    public string Device { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>When a request of this session was last seen (kept to within a few minutes).</summary>
    public DateTime LastSeenAt { get; set; } = DateTime.UtcNow;
}
