using Microsoft.AspNetCore.Identity;

namespace AgentRooms.Data.Accounts;

public class User : IdentityUser
{
    public const int DisplayNameMaxLength = 50;

    public string DisplayName { get; set; } = "";

    /// <summary>The first account of an installation runs it (as in Campfire).</summary>
    public bool IsSiteAdmin { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
