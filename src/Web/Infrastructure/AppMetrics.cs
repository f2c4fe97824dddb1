using System.Diagnostics.Metrics;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// The app's own measurements (meter <c>AgentRooms</c>), exported with the ASP.NET Core, HTTP client and
/// runtime ones at <c>/metrics</c> (<see cref="Observability"/>): posts, deliveries to sockets and the
/// ones dropped for a full outbox, agent replies by outcome and their time to first token, tokens used;
/// and gauges the features register (<see cref="Gauge"/>): open sockets, queued jobs, Redis's connection.
/// </summary>
public sealed class AppMetrics
{
    public const string MeterName = "AgentRooms";

    private readonly Meter meter;
    private readonly Counter<long> posts;
    private readonly Counter<long> deliveries;
    private readonly Counter<long> drops;
    private readonly Counter<long> replies;
    private readonly Histogram<double> firstToken;
    private readonly Counter<long> tokens;

    public AppMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        posts = meter.CreateCounter<long>("agentrooms.messages.posted", "{message}", "Messages saved (people's and agents')");
        deliveries = meter.CreateCounter<long>("agentrooms.socket.deliveries", "{frame}", "Fragments written to room sockets");
        drops = meter.CreateCounter<long>("agentrooms.socket.outbox_drops", "{socket}", "Sockets closed because their page fell too far behind");
        replies = meter.CreateCounter<long>("agentrooms.agent.replies", "{reply}", "Agent replies finished, by outcome");
        firstToken = meter.CreateHistogram<double>("agentrooms.agent.first_token", "s", "From a reply's start to the model's first text");
        tokens = meter.CreateCounter<long>("agentrooms.agent.tokens", "{token}", "Tokens agents and summaries used, by kind (input, output)");
    }

    public void Posted() => posts.Add(1);

    public void Delivered() => deliveries.Add(1);

    public void OutboxDropped() => drops.Add(1);

    public void Replied(string outcome) => replies.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void FirstToken(TimeSpan after) => firstToken.Record(after.TotalSeconds);

    public void Used(long input, long output)
    {
        tokens.Add(input, new KeyValuePair<string, object?>("kind", "input"));
        tokens.Add(output, new KeyValuePair<string, object?>("kind", "output"));
    }

    /// <summary>A value read at each scrape (open sockets, queued jobs, a connection's state).</summary>
    public void Gauge(string name, string unit, string description, Func<long> read) =>
        meter.CreateObservableGauge(name, read, unit, description);
}
