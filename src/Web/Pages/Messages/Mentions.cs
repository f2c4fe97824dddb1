using System.Text.RegularExpressions;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>Finds <c>@handle</c> mentions in text. Only ASCII handles count, so lookalike letters mention nobody.</summary>
public static partial class Mentions
{
    public static IReadOnlySet<string> Handles(string content) =>
        Mention().Matches(content).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();

    [GeneratedRegex(@"(?<![A-Za-z0-9_@./-])@([A-Za-z0-9][A-Za-z0-9-]{1,31})(?![A-Za-z0-9-])")]
    private static partial Regex Mention();
}

/// <summary>
/// The Agents feature's part in a message that names agents: which replies it asks for, decided inside
/// the transaction that saves it (so none is lost between the commit and the start), and starting them
/// once it is saved and pushed. Messages only saves the message with them.
/// </summary>
public interface IAgentReplies
{
    /// <summary>
    /// The replies a person's <paramref name="message"/> asks for, added to the context to be saved
    /// with it: the agents it names (in a direct conversation, every agent in it). Throws
    /// <see cref="MentionLimitReached"/> when they would pass a limit.
    /// </summary>
    Task<IReadOnlyList<AgentReply>> Ask(Message message, IReadOnlySet<string> handles, bool direct, CancellationToken cancel);

    /// <summary>After the commit and the push: the room sees the agents answering, and their jobs start.</summary>
    Task Start(IReadOnlyList<AgentReply> replies, CancellationToken cancel = default);
}
