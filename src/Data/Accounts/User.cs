using Microsoft.AspNetCore.Identity;

namespace AgentRooms.Data.Accounts;

public class User : IdentityUser
{
    public const int DisplayNameMaxLength = 50;

    public string DisplayName { get; set; } = "";

    /// <summary>The first account of an installation runs it (as in Campfire).</summary>
    public bool IsSiteAdmin { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>A site administrator deactivated the account: it cannot sign in, and its sessions end. What it wrote stays.</summary>
    public DateTime? DeactivatedAt { get; set; }

    public bool IsActive => DeactivatedAt is null;

    /// <summary>Banned: deactivated for good, and everything they wrote and every agent they made removed.</summary>
    public DateTime? BannedAt { get; set; }

    /// <summary>
    /// Not a person: an integration that posts into one room (an incoming webhook). It has no email and
    /// no password, so nobody signs in as it; its messages are marked as an integration's.
    /// </summary>
    public bool IsIntegration { get; set; }
}
