using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Messages;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Which agents a message sets off, and starting them. Inside the transaction that saves the message:
/// the agents it names (in a direct conversation, all of them), within the chain's depth and the
/// per-person and per-room limits. After the commit: the room sees that the agents are answering, one
/// job per reply is queued (ids only), and a free worker slot on this node starts the reply at once
/// (<see cref="ReplyWake"/>). A queue that cannot be reached (Redis away) loses nothing: the reply stays
/// pending and the sweeper queues it once the queue is back.
/// </summary>
public sealed class ReplyStarter(AppDbContext db, ReplyFeed feed, IBackgroundJobClient jobs, ReplyWake wake, IOptions<AgentOptions> options,
    ILogger<ReplyStarter> logger) : IAgentReplies
{
    public async Task<IReadOnlyList<AgentReply>> Ask(Message message, IReadOnlySet<string> handles, bool direct, CancellationToken cancel) =>
        await For(message, handles, depth: 1, startedBy: message.SenderUserId, author: null, cancel, everyAgent: direct);

    /// <summary>
    /// The replies an agent's own answer sets off (<paramref name="answering"/> one deeper), by whoever
    /// began the chain; over a limit the answer is saved all the same and the chain ends there.
    /// </summary>
    public async Task<IReadOnlyList<AgentReply>> Chained(Message answer, IReadOnlySet<string> handles, AgentReply answering, CancellationToken cancel)
    {
        try
        {
            return await For(answer, handles, answering.Depth + 1, answering.StartedById, answer.SenderAgentId, cancel, everyAgent: false);
        }
        catch (MentionLimitReached)
        {
            return [];
        }
    }

    /// <summary>
    /// The replies, added to the context to be saved with the message: the agents <paramref name="handles"/>
    /// names, or with <paramref name="everyAgent"/> all in the room; <see cref="MentionLimitReached"/> when they would pass a limit.
    /// </summary>
    private async Task<List<AgentReply>> For(Message message, IReadOnlySet<string> handles, int depth, string? startedBy, int? author,
        CancellationToken cancel, bool everyAgent)
    {
        if (handles.Count == 0 && !everyAgent || depth > options.Value.MaxDepth)
            return [];
        var agentIds = await db.RoomAgents
            .Where(ra => ra.RoomId == message.RoomId && (everyAgent || handles.Contains(ra.Handle)) && ra.AgentId != author)
            .Select(ra => ra.AgentId).ToListAsync(cancel);
        if (agentIds.Count == 0)
            return [];
        if (await LimitReached(message.RoomId, startedBy, agentIds.Count, cancel) is { } reached)
            throw reached;
        var started = agentIds.Select(agentId => new AgentReply { TriggerMessage = message, AgentId = agentId, Depth = depth, StartedById = startedBy }).ToList();
        foreach (var agentId in agentIds)
            message.Mentions.Add(new MessageMention { AgentId = agentId });
        db.AgentReplies.AddRange(started);
        return started;
    }

    /// <summary>
    /// Which limit <paramref name="count"/> more replies would pass, if any: the person's who began the
    /// chain, or the room's. Checked inside the append's transaction, after the room's
    /// row is locked and with the person's row locked too (on SQLite the write gate admits one append
    /// at a time), so concurrent posts cannot all pass on the same count.
    /// </summary>
    private async Task<MentionLimitReached?> LimitReached(int roomId, string? startedBy, int count, CancellationToken cancel)
    {
        var settings = options.Value;
        var since = DateTime.UtcNow.AddMinutes(-1);
        if (startedBy is not null)
        {
            await db.Users.Where(u => u.Id == startedBy).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, x => x.DisplayName), cancel);
            if (await db.AgentReplies.CountAsync(r => r.StartedById == startedBy && r.CreatedAt > since, cancel) + count > settings.MentionsPerMinute)
                return new MentionLimitReached(roomWide: false);
        }
        return await db.AgentReplies.CountAsync(r => r.CreatedAt > since && r.TriggerMessage!.RoomId == roomId, cancel) + count
               > settings.RoomRepliesPerMinute ? new MentionLimitReached(roomWide: true) : null;
    }

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
        jobs.Enqueue<AgentResponder>(responder => responder.Respond(replyId, CancellationToken.None));
}

/// <summary>
/// Starts a reply at once on the node where it was asked for, when one of the node's worker slots
/// is free, instead of waiting for the job queue's next poll (up to a second on SQLite). The queued job
/// stays the durable fallback: whichever claims the reply first answers it, the other finds it
/// taken and leaves it; a reply whose worker dies is recovered by the sweeper either way.
/// </summary>
public sealed class ReplyWake(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<ReplyWake> logger, int slots)
{
    private readonly SemaphoreSlim free = new(slots, Math.Max(1, slots));

    /// <summary>False when every slot is busy (or the node has none): the queue answers it.</summary>
    public bool TryStart(long replyId)
    {
        if (!free.Wait(0))
            return false;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AgentResponder>().Respond(replyId, lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // Shutting down: the sweeper hands the reply on.
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Reply {ReplyId}: started at once, it failed; the sweeper recovers it", replyId);
            }
            finally
            {
                free.Release();
            }
        });
        return true;
    }
}
