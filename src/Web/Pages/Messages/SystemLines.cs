using AgentRooms.Web.Pages.Members;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// "Ada joined", "Bob left", "Ada changed the room's description": quiet lines in the conversation, saved in Seq order as messages are (so
/// pages and catch-up carry them alike), about the person they name. They are never unread, never
/// shown to agents, and nobody edits or deletes them.
/// </summary>
public sealed class SystemLines(MessagePosting posting, ILogger<SystemLines> logger) : IMembershipLines
{
    public const string JoinedEvent = "joined";
    public const string LeftEvent = "left";
    public const string RemovedEvent = "removed";
    public const string RenamedEvent = "renamed";
    public const string DescribedEvent = "described";
    public const string ScheduleFailedEvent = "schedule-failed";

    /// <summary>What the line says after the person's name; null for anything else (never shown).</summary>
    public static string? Text(string what) => what switch
    {
        JoinedEvent => "joined",
        LeftEvent => "left",
        RemovedEvent => "was removed",
        RenamedEvent => "renamed the room",
        DescribedEvent => "changed the room's description",
        ScheduleFailedEvent => "set a schedule that could not run; the room's schedules say why",
        _ => null,
    };

    public Task Joined(int roomId, string userId) => Write(roomId, userId, JoinedEvent);

    public Task Left(int roomId, string userId, bool removed) => Write(roomId, userId, removed ? RemovedEvent : LeftEvent);

    /// <summary>A schedule of <paramref name="userId"/>'s stopped running (said once, when it starts failing).</summary>
    public Task ScheduleFailed(int roomId, string userId) => Write(roomId, userId, ScheduleFailedEvent);

    /// <summary>The room's name or description changed, by <paramref name="userId"/> (the header shows the new ones).</summary>
    public async Task Changed(int roomId, string userId, bool renamed, bool described)
    {
        if (renamed)
            await Write(roomId, userId, RenamedEvent);
        if (described)
            await Write(roomId, userId, DescribedEvent);
    }

    private async Task Write(int roomId, string userId, string what)
    {
        try
        {
            await posting.PostLine(roomId, userId, what);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Room {RoomId}: the line that {UserId} {What} was not written", roomId, userId, what);
        }
    }
}
