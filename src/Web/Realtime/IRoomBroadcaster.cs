namespace AgentRooms.Web.Realtime;

/// <summary>
/// The one seam between what happens in a room and the sockets that show it. The in-process
/// implementation hands fragments to this node's sockets; a multi-node one publishes them once
/// and every node hands the same bytes to its own sockets.
/// </summary>
public interface IRoomBroadcaster
{
    /// <summary>Hands a rendered fragment to every socket open on the room. <paramref name="seq"/> &gt; 0 marks a new message, delivered in Seq order.</summary>
    Task Publish(int roomId, ReadOnlyMemory<byte> fragment, long seq = 0);

    /// <summary>Closes the user's sockets on the room (1008): they left or were removed.</summary>
    Task Disconnect(int roomId, string userId);

    /// <summary>Closes every socket of a user who signed out; pages still signed in reconnect.</summary>
    Task SignedOut(string userId);

    /// <summary>Runs the <see cref="INodeCommand"/> called <paramref name="name"/> on every node, this one included.</summary>
    Task Command(string name, long value);
}

public sealed class InProcessBroadcaster(ConnectionRegistry registry, IEnumerable<INodeCommand> commands) : IRoomBroadcaster
{
    public Task Publish(int roomId, ReadOnlyMemory<byte> fragment, long seq = 0)
    {
        registry.Deliver(roomId, fragment, seq);
        return Task.CompletedTask;
    }

    public Task Disconnect(int roomId, string userId)
    {
        registry.CloseUser(userId, roomId, RoomSocketClose.PolicyViolation, "no longer a member");
        return Task.CompletedTask;
    }

    public Task SignedOut(string userId)
    {
        registry.CloseUser(userId, roomId: null, RoomSocketClose.ServiceRestart, "signed out");
        return Task.CompletedTask;
    }

    public Task Command(string name, long value)
    {
        foreach (var command in commands.Where(c => c.Name == name))
            command.Run(value);
        return Task.CompletedTask;
    }
}
