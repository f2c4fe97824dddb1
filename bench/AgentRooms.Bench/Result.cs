using System.Text.Json;

namespace AgentRooms.Bench;

/// <summary>
/// One measured run of one target in one scenario and shape. Figures are named so the report can
/// lay any scenario out the same way: median and min–max over rounds, ratios against the baselines.
/// </summary>
public sealed record RunResult(string Scenario, string Shape, string Target, bool Complete, Dictionary<string, double> Figures)
{
    /// <summary>Why the run does not count (the generator saturated, a warm-up); null when it counts.</summary>
    public string? Discarded { get; init; }

    /// <summary>What a reader of the figures should know (e.g. the limit was the generator's).</summary>
    public string? Note { get; init; }

    public string Summary() =>
        $"{Scenario} {Target} {Shape}: {(Complete ? "complete" : "INCOMPLETE")}{(Discarded is null ? "" : $" (discarded: {Discarded})")}, " +
        string.Join(", ", Figures.Select(f => $"{f.Key} {f.Value:0.0}"));

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    public static RunResult FromJson(string line) => JsonSerializer.Deserialize<RunResult>(line, Json)!;

    /// <summary>An incomplete run may have no deliveries to divide by: its NaN figures are written, not thrown on.</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}

/// <summary>The names of the figures, shared by the scenarios and the report.</summary>
public static class Figure
{
    public const string P50 = "p50 ms";
    public const string P99 = "p99 ms";
    public const string Max = "max ms";
    public const string CpuPerDelivery = "server µs/delivery";
    public const string CpuPerView = "server µs/view";
    public const string DeliveriesPerSecond = "deliveries/s";
    public const string RssMb = "server RSS MB";
    public const string GeneratorCpu = "generator CPU %";
    public const string KbPerSocket = "KB/socket";
    public const string ConnectsPerSecond = "connects/s";
    public const string PostsPerSecond = "posts/s";
    public const string AddedP50 = "added p50 ms";
    public const string AddedP99 = "added p99 ms";
}
