using AgentRooms.Data.Accounts;

namespace AgentRooms.Data.Rooms;

/// <summary>
/// An incoming webhook: a secret address that posts into one room as its integration (a user of its own,
/// <see cref="User.IsIntegration"/>). Only the secret's SHA-256 is kept; the address is shown once.
/// </summary>
public class Webhook
{
    public int Id { get; set; }
    public int RoomId { get; set; }
    public string Name { get; set; } = "";
    public string IntegrationUserId { get; set; } = "";
    public User? Integration { get; set; }

    /// <summary>SHA-256 of the secret in the address, hex.</summary>
    public string TokenHash { get; set; } = "";

    public string? CreatedById { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
