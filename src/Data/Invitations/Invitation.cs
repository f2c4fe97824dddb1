using AgentRooms.Data.Accounts;
using AgentRooms.Data.Rooms;

namespace AgentRooms.Data.Invitations;

public class Invitation
{
    /// <summary>Hex of the SHA-256 of the token; the token itself is never stored.</summary>
    public const int TokenHashLength = 64;

    public int Id { get; set; }
    public int RoomId { get; set; }
    public Room? Room { get; set; }
    public string TokenHash { get; set; } = "";
    public string CreatedById { get; set; } = "";
    public User? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? ExpiresAt { get; set; }
    public int? MaxUses { get; set; }
    public int Uses { get; set; }
    public DateTime? RevokedAt { get; set; }
}
