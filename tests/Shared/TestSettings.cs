namespace AgentRooms.Tests.Shared;

/// <summary>
/// What every test app sets aside: tests act faster than people, all from one client address, and the
/// fake model answers by model name, so tests name many. The limits and the model allowlist have
/// tests of their own, which set them back.
/// </summary>
public static class TestSettings
{
    public static readonly string[] RequestLimits =
        ["RegistrationsPerHour", "SignInsPerMinute", "PostsPerMinute", "RoomsPerHour", "AgentsPerHour", "InviteLinksPerHour", "SearchesPerMinute", "ReactionsPerMinute", "UploadsPerMinute", "SummariesPerMinute", "PasswordResetsPerHour"];

    /// <summary>Setting names in configuration form (<c>Section:Key</c>).</summary>
    public static IReadOnlyDictionary<string, string> Lifted { get; } =
        RequestLimits.Select(limit => ($"Limits:{limit}", "100000"))
            .Append(("Invitations:RequestsPerMinute", "100000"))
            .Append(("AI:Models", "*"))
            .ToDictionary(s => s.Item1, s => s.Item2);
}
