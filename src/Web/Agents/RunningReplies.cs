using System.Collections.Concurrent;

namespace AgentRooms.Web.Agents;

/// <summary>The replies being produced on this node, so Stop can cancel the model call.</summary>
public sealed class RunningReplies
{
    private readonly ConcurrentDictionary<long, CancellationTokenSource> running = new();

    public CancellationTokenSource Begin(long replyId) => running[replyId] = new CancellationTokenSource();

    public void End(long replyId)
    {
        if (running.TryRemove(replyId, out var stop))
            stop.Dispose();
    }

    public bool IsRunning(long replyId) => running.ContainsKey(replyId);

    public IEnumerable<long> Ids => running.Keys;

    /// <summary>True when the reply was running here and is now told to stop.</summary>
    public bool Stop(long replyId)
    {
        if (!running.TryGetValue(replyId, out var stop))
            return false;
        try
        {
            stop.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}

/// <summary>Another worker took the reply over (this one was thought dead): this worker's answer is not saved.</summary>
public sealed class ReplyTakenOver(long replyId) : Exception($"Reply {replyId} was taken over by another worker");
