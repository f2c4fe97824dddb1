using AgentRooms.Data;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Agents;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Features.Agents;

/// <summary>Several apps in one process (as in these tests) each run their jobs with their own services.</summary>
public sealed class JobActivatorTests
{
    [Fact]
    public async Task Two_apps_started_in_one_process_each_run_their_jobs_against_their_own_database()
    {
        await using var first = new SqliteAppFactory { Settings = { ["Agents:Workers"] = "0" } };
        await using var second = new SqliteAppFactory { Settings = { ["Agents:Workers"] = "0" } };
        // Hangfire configures itself when first used; the second app doing so after the first must not
        // hand the first app's jobs to the second app's services.
        first.Services.GetRequiredService<IGlobalConfiguration>();
        second.Services.GetRequiredService<IGlobalConfiguration>();

        foreach (var app in new[] { first, second })
        {
            var activator = app.Services.GetRequiredService<JobActivator>();
            using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
            var job = new BackgroundJob("1", Job.FromExpression<AgentResponder>(r => r.Respond(1, CancellationToken.None)), DateTime.UtcNow);
            using var scope = activator.BeginScope(new JobActivatorContext(connection, job, new JobCancellationToken(false)));
            var db = (AppDbContext)scope.Resolve(typeof(AppDbContext));
            Assert.Contains(app.DatabaseName, db.Database.GetConnectionString());
        }
    }
}
