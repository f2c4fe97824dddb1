using System.Text.RegularExpressions;

namespace AgentRooms.Web.Agents;

/// <summary>Finds <c>@handle</c> mentions in text. Only ASCII handles count, so lookalike letters mention nobody.</summary>
public static partial class Mentions
{
    public static IReadOnlySet<string> Handles(string content) =>
        Mention().Matches(content).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();

    [GeneratedRegex(@"(?<![A-Za-z0-9_@./-])@([A-Za-z0-9][A-Za-z0-9-]{1,31})(?![A-Za-z0-9-])")]
    private static partial Regex Mention();
}
