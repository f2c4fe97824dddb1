namespace AgentRooms.Data.Admin;

public enum Registration
{
    /// <summary>Anyone may create an account.</summary>
    Open = 0,

    /// <summary>Only someone holding a usable invitation link.</summary>
    InvitationOnly = 1,

    /// <summary>Nobody; the administrators add people some other way (or open it again).</summary>
    Closed = 2,
}

public enum RoomCreation
{
    Everyone = 0,
    Administrators = 1,
}

/// <summary>The site's settings that its administrators change while it runs (one row, <see cref="TheId"/>).</summary>
public class SiteSettings
{
    public const int TheId = 1;
    public const int NameMaxLength = 60;
    public const string DefaultName = "AgentRooms";

    public int Id { get; set; } = TheId;
    public string Name { get; set; } = DefaultName;
    public Registration Registration { get; set; }
    public RoomCreation RoomCreation { get; set; }
}

/// <summary>One administrative action: who did what to whom, and when.</summary>
public class AuditEntry
{
    public const int ActionMaxLength = 64;
    public const int TargetMaxLength = 200;
    public const int DetailMaxLength = 500;

    public long Id { get; set; }
    public DateTime At { get; set; } = DateTime.UtcNow;
    public string ActorId { get; set; } = "";
    public string ActorName { get; set; } = "";
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? Detail { get; set; }
}
