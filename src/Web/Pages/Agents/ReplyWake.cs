namespace AgentRooms.Web.Pages.Agents;

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
