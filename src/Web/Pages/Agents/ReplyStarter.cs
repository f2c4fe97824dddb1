using AgentRooms.Data.Agents;
using AgentRooms.Web.Pages.Messages;
using Hangfire;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// After the commit: the room sees that the agents are answering, one job per reply is queued (ids
/// only), and a free worker slot on this node starts the reply at once (<see cref="ReplyWake"/>). A
/// queue that cannot be reached (Redis away) loses nothing: the reply stays pending and the sweeper
/// queues it once the queue is back.
/// </summary>
public sealed class ReplyStarter(ReplyFeed feed, IBackgroundJobClient jobs, ReplyWake wake, ILogger<ReplyStarter> logger) : IReplyQueue
{
    public async Task Start(IReadOnlyList<AgentReply> replies, CancellationToken cancel = default)
    {
        foreach (var reply in replies)
        {
            await feed.Started(reply, cancel);
            try
            {
                Enqueue(jobs, reply.Id);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Reply {ReplyId} could not be queued; the sweeper queues it later", reply.Id);
            }
            wake.TryStart(reply.Id);
        }
    }

    public static void Enqueue(IBackgroundJobClient jobs, long replyId) =>
        jobs.Enqueue<AgentReplyJob>(job => job.Run(replyId, CancellationToken.None));
}
