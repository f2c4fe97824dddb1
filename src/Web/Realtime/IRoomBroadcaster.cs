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

    /// <summary>The room's line in its members' rooms lists changed (a rename): every page listing it fetches the list again.</summary>
    Task RoomChanged(int roomId);

    /// <summary>
    /// The person's rooms list changed: they read a room (its count clears in their other tabs and
    /// devices), or, with <paramref name="joinedOrLeft"/>, the rooms they are in changed and their pages watch anew.
    /// </summary>
    Task PersonRoomsChanged(string userId, bool joinedOrLeft);

    /// <summary>Runs the <see cref="INodeCommand"/> called <paramref name="name"/> on every node, this one included.</summary>
    Task Command(string name, long value);
}

public sealed class InProcessBroadcaster(ConnectionRegistry registry, IPersonRooms personRooms, IEnumerable<INodeCommand> commands, ILogger<InProcessBroadcaster> logger) : IRoomBroadcaster
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

    public Task RoomChanged(int roomId)
    {
        registry.Nudge(roomId, RoomsNote.Changed(roomId));
        return Task.CompletedTask;
    }

    public async Task PersonRoomsChanged(string userId, bool joinedOrLeft)
    {
        var pages = registry.ConnectionsOf(userId).ToList();
        if (pages.Count == 0)
            return;
        if (joinedOrLeft)
        {
            try
            {
                var rooms = await personRooms.RoomsOf(userId, CancellationToken.None);
                foreach (var page in pages)
                    registry.Watch(page, rooms);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Their pages watch what they watched; the next page they open reads it afresh.
                logger.LogWarning(exception, "Could not read the rooms of {UserId}", userId);
            }
        }
        registry.Nudge(userId, RoomsNote.Mine);
    }

    public Task Command(string name, long value)
    {
        foreach (var command in commands.Where(c => c.Name == name))
            command.Run(value);
        return Task.CompletedTask;
    }
}
