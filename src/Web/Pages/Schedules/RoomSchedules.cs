using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Messages;
using Cronos;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Schedules;

/// <summary>
/// Prompts asked of a room's agents on a schedule: each a Hangfire recurring job (<c>schedule-{id}</c>) with
/// its cron and time zone, which posts the prompt in the room as its creator's, mentioning the agent, so it
/// goes through every check a send does and counts against the creator's budget. A schedule whose creator
/// left the room, or whose agent was removed, stops for good; one whose post is refused says so in the room
/// once, and again only after a run that worked.
/// </summary>
public sealed class RoomSchedules(AppDbContext db, IRecurringJobManager recurring, MessagePosting posting, SystemLines lines, ILogger<RoomSchedules> logger)
{
    public static string JobId(long scheduleId) => $"schedule-{scheduleId}";

    /// <summary>Why a cron or time zone cannot be used, or null when both can.</summary>
    public static string? Problem(string cron, string timeZone)
    {
        try
        {
            CronExpression.Parse(cron.Trim());
        }
        catch (CronFormatException)
        {
            return "The schedule is five fields: minute, hour, day of month, month, day of week (for example 0 9 * * 1-5).";
        }
        return Zone(timeZone) is null ? $"“{timeZone}” is not a time zone; use a name like Europe/Berlin or UTC." : null;
    }

    public static TimeZoneInfo? Zone(string name)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
        }
        catch (Exception error) when (error is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The next time it runs, in UTC (none while paused).</summary>
    public static DateTime? NextRun(Schedule schedule) => schedule.Paused || Zone(schedule.TimeZone) is not { } zone ? null
        : CronExpression.Parse(schedule.Cron).GetNextOccurrence(DateTime.UtcNow, zone);

    /// <summary>Starts (or, paused, stops) its recurring job as the schedule now says.</summary>
    public void Apply(Schedule schedule)
    {
        if (schedule.Paused)
            recurring.RemoveIfExists(JobId(schedule.Id));
        else
            recurring.AddOrUpdate<RoomSchedules>(JobId(schedule.Id), s => s.Run(schedule.Id, CancellationToken.None), schedule.Cron,
                new RecurringJobOptions { TimeZone = Zone(schedule.TimeZone)! });
    }

    public void Forget(long scheduleId) => recurring.RemoveIfExists(JobId(scheduleId));

    /// <summary>One run: the job's, or "Run now".</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task Run(long scheduleId, CancellationToken cancel)
    {
        if (await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancel) is not { } schedule)
        {
            Forget(scheduleId); // deleted meanwhile
            return;
        }
        var handle = await db.RoomAgents.Where(ra => ra.RoomId == schedule.RoomId && ra.AgentId == schedule.AgentId).Select(ra => ra.Handle).FirstOrDefaultAsync(cancel);
        var member = await db.RoomMembers.AnyAsync(m => m.RoomId == schedule.RoomId && m.UserId == schedule.CreatedById, cancel);
        if (handle is null || !member)
        {
            // For good: it is not theirs to ask any more, or there is nobody to ask. The job goes first, so a
            // schedule shown stopped never runs again.
            Forget(scheduleId);
            schedule.Paused = true;
            schedule.Problem = member ? "The agent is no longer in the room." : "Whoever made it is no longer in the room.";
            await db.SaveChangesAsync(cancel);
            return;
        }
        var failedBefore = schedule.Problem is not null;
        var sent = await posting.Send(schedule.RoomId, schedule.CreatedById, $"(scheduled) @{handle} {schedule.Prompt}", Guid.NewGuid(), cancel: cancel);
        // Written apart from the tracked row: a refused send leaves the context's tracking behind it.
        var problem = sent.Error is { } error ? error[..Math.Min(error.Length, Schedule.ProblemMaxLength)] : null;
        await db.Schedules.Where(s => s.Id == scheduleId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastRunAt, DateTime.UtcNow).SetProperty(x => x.Problem, problem), cancel);
        if (sent.Error is not null && !failedBefore)
        {
            logger.LogInformation("Schedule {ScheduleId} could not post: {Problem}", scheduleId, sent.Error);
            await lines.ScheduleFailed(schedule.RoomId, schedule.CreatedById);
        }
    }
}
