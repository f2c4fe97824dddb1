using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.Redis.StackExchange;
using Hangfire.Storage.SQLite;
using StackExchange.Redis;

namespace AgentRooms.Web.Pages.Agents;

public static class AgentSetup
{
    /// <summary>
    /// Agents answer through Hangfire jobs: in a SQLite file on one node, in Redis on several. The
    /// storage is this app's own instance in the container, not Hangfire's static JobStorage.Current,
    /// so clients, servers and the dashboard of one app never use another's. A reply starts at once on
    /// the node that queued it when a slot is free (ReplyWake); otherwise polling is fast so a mention
    /// starts within a quarter second. Workers are many because model calls mostly wait.
    /// </summary>
    public static void AddAgents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var hangfireSettings = builder.Read<HangfireOptions>("Hangfire");
        services.AddOptions<AgentOptions>()
            .Bind(builder.Configuration.GetSection("AI"))
            .Bind(builder.Configuration.GetSection("Agents"))
            .Configure(options =>
            {
                options.Models = builder.Configuration["AI:Models"]; // the one-line form; null when it is a list
                options.ModelList = AgentOptions.ReadModelList(builder.Configuration.GetSection("AI:Models"));
            })
            .Validate(o => string.IsNullOrWhiteSpace(o.Endpoint) || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _),
                "AI:Endpoint must be an absolute address, such as https://api.openai.com/v1")
            .Validate(o => o.Deadline > TimeSpan.Zero && o.OrphanAfter >= TimeSpan.FromSeconds(1) && o.SweepInterval > TimeSpan.Zero && o.StreamInterval > TimeSpan.Zero
                           && o.PendingGrace >= TimeSpan.FromSeconds(1),
                "Agents:Deadline, Agents:SweepInterval and Agents:StreamInterval are positive times and Agents:OrphanAfter and Agents:PendingGrace at least a second (hh:mm:ss)")
            .Validate(o => o.ContextMessages >= 1 && o.ContextTokens >= 512 && o.MaxReplyCharacters >= 100,
                "Agents:ContextMessages is at least 1, Agents:ContextTokens at least 512 and Agents:MaxReplyCharacters at least 100")
            .Validate(o => o.MaxToolCalls >= 0 && o.MaxToolResultCharacters >= 100,
                "Agents:MaxToolCalls is 0 or more and Agents:MaxToolResultCharacters at least 100")
            .Validate(o => o.MaxDepth >= 0 && o.MentionsPerMinute >= 1 && o.RoomRepliesPerMinute >= 1,
                "Agents:MaxDepth is 0 or more, Agents:MentionsPerMinute and Agents:RoomRepliesPerMinute at least 1")
            .Validate(o => o.Workers >= 0, "Agents:Workers is 0 (a web-only node) or more")
            .ValidateOnStart();
        services.AddOptions<RoomAgentOptions>().Bind(builder.Configuration.GetSection("Rooms"))
            .Validate(o => o.MaxAgents >= 1, "Rooms:MaxAgents is at least 1").ValidateOnStart();
        services.AddScoped<AgentsInRoom>();
        services.AddScoped<MyAgents>();
        services.AddSingleton<ModelClient>();
        services.AddSingleton<TokenCounter>();
        services.AddScoped<Budgets>();
        services.AddScoped<Summarizer>();
        services.AddScoped<RoomSummaries>();
        services.AddSingleton<SummariesBeingWritten>();
        services.AddScoped<RoomSummaryJob>();
        services.AddSingleton<RunningReplies>();
        services.AddSingleton<INodeCommand>(sp => sp.GetRequiredService<RunningReplies>());
        services.AddScoped<ReplyFeed>();
        services.AddSingleton<IRoomNow, RoomRepliesNow>();
        services.AddScoped<ReplyStarter>();
        services.AddScoped<IAgentReplies>(sp => sp.GetRequiredService<ReplyStarter>());
        services.AddScoped<ReplyClaim>();
        services.AddScoped<ReplyPosting>();
        services.AddScoped<AgentResponder>();
        services.AddScoped<ReplyContext>();
        services.AddScoped<ReplyStream>();
        services.AddScoped<AgentReplySweeper>();
        services.AddHostedService<SweeperTimer>();

        if (builder.Configuration.IsMultiNode())
        {
            // Several nodes share one queue: any node's workers take any reply job, each job once.
            services.AddSingleton<JobStorage>(sp => new RedisStorage(sp.GetRequiredService<IConnectionMultiplexer>(), new RedisStorageOptions
            {
                Prefix = $"{{{RedisOptions.From(builder.Configuration).Prefix}:hangfire}}:",
                // A job whose node died is handed to another after this; the reply's claim keeps it to one answer.
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
                FetchTimeout = TimeSpan.FromSeconds(5),
            }));
            services.AddSingleton<RedisReplyLeases>();
            services.AddSingleton<IReplyLeases>(sp => sp.GetRequiredService<RedisReplyLeases>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisReplyLeases>());
        }
        else
        {
            services.AddSingleton<JobStorage>(_ => SqliteStorage(builder, hangfireSettings));
            services.AddSingleton<IReplyLeases, LocalReplyLeases>();
        }
        // Hangfire's own registration takes the job activator from a static that the last app to start
        // in this process set; with several apps in one process (the tests) one app's jobs then ran with
        // another's services and database. Each app brings its own.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        var silence = hangfireSettings.SilenceLogs;
        services.AddHangfire(hangfire =>
        {
            // Hangfire keeps its log provider in a static; tests that run several apps in one process and
            // dispose them at different times set this, so it does not hold on to one app's logger factory.
            if (silence)
                hangfire.UseLogProvider(new SilentLogProvider());
            hangfire
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });
        // Agents:Workers = 0 makes a node that serves pages and sockets only and leaves replies to the others.
        var workers = builder.Configuration.GetSection("Agents").Get<AgentOptions>()?.Workers ?? new AgentOptions().Workers;
        services.AddSingleton(sp => new ReplyWake(sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<ReplyWake>>(), workers));
        if (workers > 0)
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = workers;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
    }

    /// <summary>
    /// One node: the jobs live in a SQLite file of their own (<c>Hangfire:SqlitePath</c>, default
    /// hangfire.db in the data folder), whatever database holds the app's data.
    /// </summary>
    private static SQLiteStorage SqliteStorage(WebApplicationBuilder builder, HangfireOptions settings)
    {
        var path = settings.SqlitePath is { Length: > 0 } configured
            ? configured
            : Path.Combine(DataFolder.Of(builder.Configuration, builder.Environment), "hangfire.db");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new SQLiteStorage(path, new SQLiteStorageOptions
        {
            // Replies start at once through ReplyWake; the queue is the fallback, so each of the workers
            // asks it once a second (at 200 ms, ten workers' polls were most of an idle node's CPU).
            QueuePollInterval = TimeSpan.FromSeconds(1),
            // Longer than the reply deadline, so a running reply is never handed to a second worker.
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            DistributedLockLifetime = TimeSpan.FromSeconds(30),
            // Readers never wait for the writer: enqueues from requests and fetches by workers contend less.
            JournalMode = SQLiteStorageOptions.JournalModes.WAL,
        });
    }

    public static void MapAgents(this WebApplication app)
    {
        if (!app.Configuration.IsMultiNode())
        {
            // The SQLite job file's first use happens here, before the server's workers start together:
            // their first connections to a new file at once (each switching it to WAL) could fail and
            // send them into Hangfire's back-off for minutes. It also removes the sweeper's Hangfire
            // schedule of earlier versions; the sweeper now runs on a timer (SweeperTimer).
            app.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists("agent-reply-sweeper");
        }
        var storage = app.Services.GetRequiredService<JobStorage>();
        app.Services.GetRequiredService<AppMetrics>().Gauge("agentrooms.jobs.enqueued", "{job}", "Jobs waiting in the queue (agent replies, summaries)",
            () =>
            {
                try
                {
                    return storage.GetMonitoringApi().Queues().Sum(queue => queue.Length);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    return -1; // the queue cannot be read (Redis away): a value no queue has
                }
            });
        app.MapHangfireDashboard(Paths.Jobs, new DashboardOptions
        {
            Authorization = [new SiteAdminOnly()],
            AppPath = Paths.Rooms,
            DisplayStorageConnectionString = false,
        });
    }

    private sealed class SilentLogProvider : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }

    /// <summary>The job dashboard is the site administrator's alone.</summary>
    private sealed class SiteAdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.IsSiteAdmin();
    }
}

/// <summary>The <c>Hangfire</c> settings.</summary>
public sealed class HangfireOptions
{
    /// <summary>The job queue's SQLite file on one node (default hangfire.db in the data folder).</summary>
    public string? SqlitePath { get; set; }

    /// <summary>No logs from Hangfire itself (tests that run several apps in one process).</summary>
    public bool SilenceLogs { get; set; }
}

/// <summary>The <c>Rooms</c> settings about agents.</summary>
public sealed class RoomAgentOptions
{
    /// <summary>The most agents one room may have.</summary>
    public int MaxAgents { get; set; } = 20;
}
