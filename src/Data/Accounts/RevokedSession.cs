namespace AgentRooms.Data.Accounts;

/// <summary>
/// A signed-out session: its cookie, and any copy of it, is refused until it would have expired anyway.
/// Each sign-in is a session of its own, so signing out on one device leaves the others signed in.
/// </summary>
public class RevokedSession
{
    public const int IdLength = 32;

    public string Id { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}
