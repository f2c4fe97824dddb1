using AgentRooms.Data.Accounts;

namespace AgentRooms.Data.Rooms;

public enum RoomVisibility
{
    Public = 0,
    Private = 1,
}

public enum RoomKind
{
    Room = 0,

    /// <summary>A direct conversation: private, never listed, never joined; its people are added by its people.</summary>
    Direct = 1,
}

public class Room
{
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 1000;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public RoomVisibility Visibility { get; set; }
    public RoomKind Kind { get; set; }
    public string CreatedById { get; set; } = "";
    public User? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The Seq of the newest message; bumped in the transaction that inserts it.</summary>
    public long LastSeq { get; set; }

    /// <summary>Its owners turned agents' tools off here: agents answer from the conversation alone.</summary>
    public bool ToolsOff { get; set; }

    /// <summary>Archived by its owner: read-only, out of the rooms navigation, still readable and searchable (null: in use).</summary>
    public DateTime? ArchivedAt { get; set; }

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>The most tokens of the room's recent messages an agent is given here; null: as many as its model holds.</summary>
    public int? ContextTokens { get; set; }

    /// <summary>Its owners keep the room's files from agents: named, never read, searched or shown.</summary>
    public bool ContextWithoutFiles { get; set; }

    /// <summary>Its owners keep other agents' replies out of an agent's context (the message that asks always goes).</summary>
    public bool ContextWithoutAgents { get; set; }

    public List<RoomMember> Members { get; set; } = [];
    public List<RoomAgent> Agents { get; set; } = [];

    public bool IsPublic => Visibility == RoomVisibility.Public;
    public bool IsDirect => Kind == RoomKind.Direct;

    /// <summary>People and agents a direct conversation holds at most.</summary>
    public const int MaxInDirect = 8;

    /// <summary>A direct conversation: private, and nobody in it runs it (no invitations, no settings, no removals).</summary>
    public static Room OpenDirect(string name, IEnumerable<string> people)
    {
        var room = new Room { Name = name, Visibility = RoomVisibility.Private, Kind = RoomKind.Direct, CreatedById = people.First() };
        foreach (var person in people.Distinct())
            room.Members.Add(new RoomMember { UserId = person, Role = RoomRole.Member });
        return room;
    }

    /// <summary>A new room, with its creator as its owner.</summary>
    public static Room Open(string name, string description, RoomVisibility visibility, string creatorId)
    {
        var room = new Room { Name = name, Description = description, Visibility = visibility, CreatedById = creatorId };
        room.Members.Add(new RoomMember { UserId = creatorId, Role = RoomRole.Owner });
        return room;
    }

    /// <summary>Anyone may see a public room; a private one only its members.</summary>
    public bool IsVisibleTo(RoomMember? member) => IsPublic || member is not null;
}
