using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Schedules;

/// <summary>
/// At start-up, every running schedule's recurring job is set again from the database, so schedules
/// outlive a lost or new job store (the database says what runs; Hangfire only runs it).
/// </summary>
public sealed class ScheduleRestorer(IServiceScopeFactory scopes, ILogger<ScheduleRestorer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancel)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var schedules = scope.ServiceProvider.GetRequiredService<RoomSchedules>();
            foreach (var schedule in await db.Schedules.Where(s => !s.Paused).AsNoTracking().ToListAsync(cancel))
                schedules.Apply(schedule);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Schedules could not be set again at start-up; each is set again when it is saved");
        }
    }

    public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
}
