using System.Security.Cryptography;
using System.Text;
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

    /// <summary>A new invitation and its token: 256 random bits, URL-safe, shown once and never stored.</summary>
    public static (Invitation Invitation, string Token) Create(int roomId, string createdById, DateTime? expiresAt, int? maxUses)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (new Invitation
        {
            RoomId = roomId,
            TokenHash = Hash(token),
            CreatedById = createdById,
            ExpiresAt = expiresAt,
            MaxUses = maxUses,
        }, token);
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public bool IsUsable(DateTime now) =>
        RevokedAt is null && (ExpiresAt is null || ExpiresAt > now) && (MaxUses is null || Uses < MaxUses);

    public void Revoke() => RevokedAt ??= DateTime.UtcNow;

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
