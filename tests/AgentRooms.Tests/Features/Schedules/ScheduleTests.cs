using System.Net;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Features.Schedules;

public sealed class ScheduleTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : ScheduleTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class ScheduleTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : ScheduleTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>
/// Prompts on a schedule: a cron and a time zone checked before anything is kept, a Hangfire recurring job
/// that runs them, "Run now", pause, a failure said in the room once, and a stop when the creator leaves.
/// </summary>
public abstract class ScheduleTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected ScheduleTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "schedule-default";
        app.Settings["Agents:RoomRepliesPerMinute"] = "1"; // a second run within the minute is refused
    }

    private RecurringJobDto? Job(long scheduleId)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().FirstOrDefault(j => j.Id == $"schedule-{scheduleId}");
    }

    [Fact]
    public async Task A_member_schedules_a_prompt_that_runs_as_theirs_and_stops_when_they_leave()
    {
        var (alice, _) = await app.SignedInPerson("Alice Clock");
        var roomId = await alice.CreateRoom("Mornings", "Public");
        await alice.AddAgent(roomId, await app.CreateAgent(alice, "Scribe", "scribe", model: "scribe-sched-model"));
        model.Scripts["scribe-sched-model"] = ModelScript.Say("Yesterday: we chose blue.");
        var (bob, _) = await app.SignedInPerson("Bob Clock");
        await bob.Join(roomId);
        var (carol, _) = await app.SignedInPerson("Carol Away");
        var page = $"/rooms/{roomId}/schedules";
        Assert.Equal(HttpStatusCode.NotFound, (await carol.Get(page)).Status);

        // A cron or a time zone that cannot be used is refused with the reason, and nothing is kept.
        var fields = new Dictionary<string, string> { ["Input.Prompt"] = "summarise yesterday's decisions", ["Input.Cron"] = "every morning", ["Input.TimeZone"] = "Europe/Berlin" };
        var wrongCron = await bob.Submit(page, "Schedule", fields);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongCron.Status);
        Assert.Contains("five fields", wrongCron.ErrorFor("Input.Cron"));
        var wrongZone = await bob.Submit(page, "Schedule", new Dictionary<string, string>(fields) { ["Input.Cron"] = "0 9 * * 1-5", ["Input.TimeZone"] = "Mars/Olympus" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongZone.Status);
        Assert.Contains("not a time zone", wrongZone.ErrorFor("Input.TimeZone"));
        Assert.Equal(0, await app.WithDb(db => db.Schedules.CountAsync(s => s.RoomId == roomId)));

        // Every weekday at 09:00 in Berlin: a recurring job with that cron and zone, its next run listed.
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Submit(page, "Schedule", new Dictionary<string, string>(fields) { ["Input.Cron"] = "0 9 * * 1-5" })).Status);
        var scheduleId = await app.WithDb(db => db.Schedules.Where(s => s.RoomId == roomId).Select(s => s.Id).SingleAsync());
        var job = Job(scheduleId)!;
        Assert.Equal(("0 9 * * 1-5", "Europe/Berlin"), (job.Cron, job.TimeZoneId));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var next = Cronos.CronExpression.Parse("0 9 * * 1-5").GetNextOccurrence(DateTime.UtcNow, berlin)!.Value;
        var listed = (await alice.Get(page)).Document.QuerySelector(".schedules-list time")!.GetAttribute("datetime");
        Assert.Equal(next, DateTime.Parse(listed!, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
        Assert.Equal(9, TimeZoneInfo.ConvertTimeFromUtc(next, berlin).Hour);

        // Run now (the room's owner may): posted as Bob's, and the agent answers it.
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Submit(page, "Run now", new Dictionary<string, string>())).Status);
        await Eventually.True(async () => await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.Content == "Yesterday: we chose blue.")),
            TimeSpan.FromSeconds(30), "the scheduled answer");
        var asked = await app.WithDb(db => db.Messages.SingleAsync(m => m.RoomId == roomId && m.Content.StartsWith("(scheduled)")));
        Assert.Equal("(scheduled) @scribe summarise yesterday's decisions", asked.Content);
        Assert.Equal(await app.WithDb(db => db.Users.Where(u => u.DisplayName == "Bob Clock").Select(u => u.Id).SingleAsync()), asked.SenderUserId);
        Assert.Contains("summarise yesterday's decisions", Assert.Single(model.RequestsFor("scribe-sched-model")).Conversation);

        // Refused (the room's agents were asked enough this minute): said in the room once, however often it fails.
        for (var run = 1; run <= 2; run++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await bob.Submit(page, "Run now", new Dictionary<string, string>())).Status);
            await Eventually.True(async () => await app.WithDb(db => db.Schedules.Where(s => s.Id == scheduleId).Select(s => s.Problem).SingleAsync()) is not null,
                TimeSpan.FromSeconds(30), "the refused run");
        }
        await app.JobsIdle();
        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.System && m.Content == "schedule-failed")));
        Assert.Contains("asked a lot", (await bob.Get(page)).Document.QuerySelector(".schedules-list .field-error")!.TextContent);

        // The database says what runs: a job store that lost it gets it back at the next start.
        app.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists($"schedule-{scheduleId}");
        Assert.Null(Job(scheduleId));
        await using (var restarted = app.Restarted())
        {
            restarted.CreateClient().Dispose();
            using var connection = restarted.Services.GetRequiredService<JobStorage>().GetConnection();
            Assert.Equal("0 9 * * 1-5", connection.GetRecurringJobs().Single(j => j.Id == $"schedule-{scheduleId}").Cron);
        }

        // Paused: no job. Then its creator leaves: the next run stops it for good, and posts nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Submit(page, "Pause", new Dictionary<string, string>())).Status);
        Assert.Null(Job(scheduleId));
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Submit(page, "Resume", new Dictionary<string, string>())).Status);
        Assert.NotNull(Job(scheduleId));
        await bob.Submit($"/rooms/{roomId}", "Leave room", new Dictionary<string, string>());
        var before = await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.User));
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Submit(page, "Run now", new Dictionary<string, string>())).Status);
        await Eventually.True(async () => await app.WithDb(db => db.Schedules.Where(s => s.Id == scheduleId).Select(s => s.Paused).SingleAsync()),
            TimeSpan.FromSeconds(30), "the schedule stopped");
        Assert.Null(Job(scheduleId));
        Assert.Equal("Whoever made it is no longer in the room.", await app.WithDb(db => db.Schedules.Where(s => s.Id == scheduleId).Select(s => s.Problem).SingleAsync()));
        Assert.Equal(before, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.User)));
    }
}
