using AgentRooms.Data.Accounts;

namespace AgentRooms.Data.Rooms;

public enum RoomRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}

public class RoomMember
{
    public int RoomId { get; set; }
    public Room? Room { get; set; }
    public string UserId { get; set; } = "";
    public User? User { get; set; }
    public RoomRole Role { get; set; }
    public DateTime JoinedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The newest Seq this member has seen; drives the unread mark.</summary>
    public long LastReadSeq { get; set; }

    /// <summary>When this member is notified of the room's messages while away (Web Push).</summary>
    public NotifyLevel Notify { get; set; } = NotifyLevel.Mentions;

    /// <summary>Owners and admins run the room: settings, invitations, deleting anyone's message.</summary>
    public bool CanModerate => Role >= RoomRole.Admin;

    /// <summary>Only owners promote, demote and hand over ownership.</summary>
    public bool CanChangeRoles => Role == RoomRole.Owner;

    /// <summary>Owners remove anyone else; admins remove plain members.</summary>
    public bool CanRemove(RoomMember target) =>
        target.UserId != UserId && (Role == RoomRole.Owner || Role == RoomRole.Admin && target.Role == RoomRole.Member);
}

/// <summary>What of a room's messages reaches a member who is not looking.</summary>
public enum NotifyLevel
{
    /// <summary>Mentions, replies to them, answers of agents they asked; in a direct conversation every message.</summary>
    Mentions = 0,
    All = 1,
    Nothing = 2,
}
