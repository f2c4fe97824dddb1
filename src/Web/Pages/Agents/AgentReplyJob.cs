using Hangfire;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>One reply, one call into the responder. Retries are the responder's to decide, never Hangfire's hours later.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class AgentReplyJob(AgentResponder responder)
{
    public Task Run(long replyId, CancellationToken cancel) => responder.Respond(replyId, cancel);
}
