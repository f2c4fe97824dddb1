using System.ComponentModel.DataAnnotations;

namespace AgentRooms.Web.Pages.Invitations;

/// <summary>The invite form of a room page; <see cref="NewInviteLink"/> is shown once, right after it is created (only its hash is kept).</summary>
public sealed record InvitePanelModel(int RoomId, InviteInput Invite, string? NewInviteLink)
{
    /// <summary>The page of its own has its heading already; the room page's aside needs one.</summary>
    public bool OnItsOwnPage { get; init; }
}

public class InviteInput
{
    public static readonly IReadOnlyDictionary<string, string> ExpiryChoices = new Dictionary<string, string>
    {
        ["1"] = "1 day", ["7"] = "7 days", ["30"] = "30 days", ["never"] = "Never",
    };

    [Required, RegularExpression("^(1|7|30|never)$", ErrorMessage = "Choose when the link expires.")]
    public string Expires { get; set; } = "7";

    [Range(1, MaxUsesLimit, ErrorMessage = "Maximum uses is a number from {1} to {2}, or empty for unlimited.")]
    public int? MaxUses { get; set; }

    public const int MaxUsesLimit = 1000;

    public DateTime? ExpiresAt(DateTime now) => Expires == "never" ? null : now.AddDays(int.Parse(Expires));
}

