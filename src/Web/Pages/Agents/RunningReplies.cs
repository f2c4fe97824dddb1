using System.Collections.Concurrent;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// The replies being produced on this node, so Stop can cancel the model call. Stop may arrive on
/// any node: it is a node command (<see cref="StopEverywhere"/>) that every node runs.
/// </summary>
public sealed class RunningReplies : INodeCommand
{
    public const string StopCommand = "stop-reply";

    string INodeCommand.Name => StopCommand;

    void INodeCommand.Run(long value) => Stop(value);

    /// <summary>Stops the reply on whichever node produces it.</summary>
    public static Task StopEverywhere(IRoomBroadcaster broadcaster, long replyId) => broadcaster.Command(StopCommand, replyId);

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
