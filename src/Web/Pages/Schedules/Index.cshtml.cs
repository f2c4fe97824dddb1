using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Members;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Schedules;

public sealed class ScheduleInput
{
    [Required(ErrorMessage = "Choose the agent to ask.")]
    public int? AgentId { get; set; }

    [Required(ErrorMessage = "Write what to ask.")]
    [StringLength(Schedule.PromptMaxLength, ErrorMessage = "At most {1} characters.")]
    public string Prompt { get; set; } = "";

    [Required(ErrorMessage = "Say when, as five fields (for example 0 9 * * 1-5).")]
    [StringLength(Schedule.CronMaxLength)]
    public string Cron { get; set; } = "0 9 * * 1-5";

    [Required(ErrorMessage = "Name the time zone (for example Europe/Berlin).")]
    [StringLength(Schedule.TimeZoneMaxLength)]
    public string TimeZone { get; set; } = "UTC";
}

/// <summary>
/// A room's schedules: any member sets one for an agent of the room; its creator and the room's owners and
/// admins pause, resume, run now and delete it. Runs go as <see cref="RoomSchedules"/> says.
/// </summary>
public class IndexModel(AppDbContext db, RoomSchedules schedules, IBackgroundJobClient jobs) : PageModel
{
    [FromRoute] public int Id { get; set; }

    [BindProperty] public ScheduleInput Input { get; set; } = new();

    [TempData] public string? Notice { get; set; }

    public Room Room { get; private set; } = null!;
    public RoomMember Me { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Name, string Handle)> Agents { get; private set; } = [];
    public IReadOnlyList<ScheduleRow> Rows { get; private set; } = [];

    public sealed record ScheduleRow(Schedule Schedule, string CreatorName, string AgentHandle, DateTime? NextRun, bool Manageable);

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync() => await Load() ?? Page();

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (await Load() is { } refused)
            return refused;
        if (Input.AgentId is { } agentId && Agents.All(a => a.Id != agentId))
            ModelState.AddModelError("Input.AgentId", "That agent is not in this room.");
        if (ModelState.IsValid && RoomSchedules.Problem(Input.Cron, Input.TimeZone) is { } problem)
            ModelState.AddModelError(problem.StartsWith("The schedule", StringComparison.Ordinal) ? "Input.Cron" : "Input.TimeZone", problem);
        if (!ModelState.IsValid)
            return this.InvalidForm();
        var schedule = new Schedule
        {
            RoomId = Id, CreatedById = UserId, AgentId = Input.AgentId!.Value, Prompt = Input.Prompt.Trim(),
            Cron = Input.Cron.Trim(), TimeZone = RoomSchedules.Zone(Input.TimeZone)!.Id,
        };
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync();
        schedules.Apply(schedule);
        return Done("Scheduled.");
    }

    public async Task<IActionResult> OnPostPauseAsync(long scheduleId, bool paused)
    {
        if (await Manageable(scheduleId) is not { } schedule)
            return Refusal;
        schedule.Paused = paused;
        if (!paused)
            schedule.Problem = null;
        await db.SaveChangesAsync();
        schedules.Apply(schedule);
        return Done(paused ? "Paused." : "Resumed.");
    }

    public async Task<IActionResult> OnPostRunAsync(long scheduleId)
    {
        if (await Manageable(scheduleId) is not { } schedule)
            return Refusal;
        jobs.Enqueue<RoomSchedules>(s => s.Run(schedule.Id, CancellationToken.None));
        return Done("It runs now.");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long scheduleId)
    {
        if (await Manageable(scheduleId) is not { } schedule)
            return Refusal;
        db.Schedules.Remove(schedule);
        await db.SaveChangesAsync();
        schedules.Forget(scheduleId);
        return Done("Deleted.");
    }

    private IActionResult Refusal { get; set; } = null!;

    /// <summary>The schedule, if this member may run it: its creator, or the room's owners and admins.</summary>
    private async Task<Schedule?> Manageable(long scheduleId)
    {
        if (await Load() is { } refused)
        {
            Refusal = refused;
            return null;
        }
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId && s.RoomId == Id);
        Refusal = schedule is null ? NotFound() : StatusCode(StatusCodes.Status403Forbidden);
        return schedule is not null && (schedule.CreatedById == UserId || Me.CanModerate) ? schedule : null;
    }

    /// <summary>Members only, and only through their room: 404 for anyone else.</summary>
    private async Task<IActionResult?> Load()
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { Member: { } member } access)
            return NotFound();
        (Room, Me) = (access.Room, member);
        Agents = (await db.RoomAgents.Where(ra => ra.RoomId == Id).Select(ra => new { ra.AgentId, ra.Agent!.Name, ra.Handle }).AsNoTracking().ToListAsync())
            .Select(a => (a.AgentId, a.Name, a.Handle)).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var rows = await db.Schedules.Where(s => s.RoomId == Id).OrderBy(s => s.Id)
            .Select(s => new { Schedule = s, Creator = db.Users.Where(u => u.Id == s.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
                Handle = db.Agents.Where(a => a.Id == s.AgentId).Select(a => a.Handle).FirstOrDefault() })
            .AsNoTracking().ToListAsync();
        Rows = rows.Select(r => new ScheduleRow(r.Schedule, r.Creator ?? "someone", r.Handle ?? "?", RoomSchedules.NextRun(r.Schedule),
            r.Schedule.CreatedById == UserId || member.CanModerate)).ToList();
        return null;
    }

    private IActionResult Done(string notice)
    {
        Notice = notice;
        return Redirect(Paths.RoomSchedules(Id));
    }
}
