namespace AgentRooms.Web.Pages.Schedules;

public static class SchedulesSetup
{
    /// <summary>Prompts asked of a room's agents on a schedule (Hangfire recurring jobs).</summary>
    public static void AddSchedules(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoomSchedules>();
        builder.Services.AddHostedService<ScheduleRestorer>();
    }
}
