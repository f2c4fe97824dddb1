using AgentRooms.Data.Agents;
using AgentRooms.Web.Realtime;
using Hangfire;

namespace AgentRooms.Web.Agents;

/// <summary>After the commit: the room sees that the agents are answering, and one job per reply is queued (ids only).</summary>
public sealed class ReplyStarter(RoomFeed feed, IBackgroundJobClient jobs)
{
    public async Task Start(IReadOnlyList<AgentReply> replies, CancellationToken cancel = default)
    {
        foreach (var reply in replies)
        {
            await feed.ReplyStarted(reply, cancel);
            Enqueue(jobs, reply.Id);
        }
    }

    public static void Enqueue(IBackgroundJobClient jobs, long replyId) =>
        jobs.Enqueue<AgentReplyJob>(job => job.Run(replyId, CancellationToken.None));
}
