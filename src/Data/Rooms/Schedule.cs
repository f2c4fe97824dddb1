namespace AgentRooms.Data.Rooms;

/// <summary>
/// A prompt a member set to be asked of one of the room's agents on a schedule ("every weekday at 09:00
/// Europe/Berlin"): posted in the room as theirs, mentioning the agent, by a Hangfire recurring job.
/// </summary>
public class Schedule
{
    public const int PromptMaxLength = 1000;
    public const int CronMaxLength = 100;
    public const int TimeZoneMaxLength = 64;
    public const int ProblemMaxLength = 300;

    public long Id { get; set; }
    public int RoomId { get; set; }
    public string CreatedById { get; set; } = "";
    public int AgentId { get; set; }
    public string Prompt { get; set; } = "";

    /// <summary>Five fields: minute, hour, day of month, month, day of week.</summary>
    public string Cron { get; set; } = "";

    /// <summary>An IANA time zone, such as Europe/Berlin, the cron's times are in.</summary>
    public string TimeZone { get; set; } = "UTC";

    public bool Paused { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? LastRunAt { get; set; }

    /// <summary>Why the last run did not post (said in the room once, when it starts failing); null when it did.</summary>
    public string? Problem { get; set; }
}
