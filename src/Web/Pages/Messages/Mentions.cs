using System.Text.RegularExpressions;
using AgentRooms.Data.Agents;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>Finds <c>@handle</c> mentions in text. Only ASCII handles count, so lookalike letters mention nobody.</summary>
public static partial class Mentions
{
    public static IReadOnlySet<string> Handles(string content) =>
        Mention().Matches(content).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();

    [GeneratedRegex(@"(?<![A-Za-z0-9_@./-])@([A-Za-z0-9][A-Za-z0-9-]{1,31})(?![A-Za-z0-9-])")]
    private static partial Regex Mention();
}

/// <summary>How far mentions set agents off (the <c>Agents</c> settings, shared with the Agents feature).</summary>
public sealed class MentionOptions
{
    /// <summary>How far agents may set each other off, counted from the person's message.</summary>
    public int MaxDepth { get; set; } = 2;

    /// <summary>Agent replies one person may set off per minute, the replies of agents answering agents included.</summary>
    public int MentionsPerMinute { get; set; } = 20;

    /// <summary>Agent replies one room may have per minute, whoever set them off.</summary>
    public int RoomRepliesPerMinute { get; set; } = 60;
}

/// <summary>
/// Starts the replies a message set off, after the commit that saved them with it. The Agents
/// feature provides it (a job per reply); Messages only decides which replies there are.
/// </summary>
public interface IReplyQueue
{
    Task Start(IReadOnlyList<AgentReply> replies, CancellationToken cancel = default);
}
