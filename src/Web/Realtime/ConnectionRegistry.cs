using System.Collections.Concurrent;

namespace AgentRooms.Web.Realtime;

/// <summary>The sockets open on this node, by room.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<int, RoomSockets> rooms = new();

    /// <summary>Adds a socket; true when it is the user's first in the room (they just arrived).</summary>
    public bool Add(RoomConnection connection) => rooms.GetOrAdd(connection.RoomId, _ => new RoomSockets()).Add(connection);

    /// <summary>Removes a socket; true when it was the user's last in the room (they just left).</summary>
    public bool Remove(RoomConnection connection) =>
        rooms.TryGetValue(connection.RoomId, out var sockets) && sockets.Remove(connection);

    /// <summary>Who has the room open on this node.</summary>
    public IReadOnlySet<string> UsersIn(int roomId) =>
        rooms.TryGetValue(roomId, out var sockets) ? sockets.Users() : new HashSet<string>();

    public bool Has(int roomId, string userId) => rooms.TryGetValue(roomId, out var sockets) && sockets.Of(userId).Any();

    /// <summary>The rooms open on this node, with who has each open.</summary>
    public IEnumerable<(int RoomId, IReadOnlySet<string> Users)> Rooms() =>
        rooms.Select(r => (r.Key, r.Value.Users())).Where(r => r.Item2.Count > 0);

    public void Deliver(int roomId, ReadOnlyMemory<byte> fragment, long seq)
    {
        if (rooms.TryGetValue(roomId, out var sockets))
            sockets.Deliver(fragment, seq);
    }

    public void CloseUser(string userId, int? roomId, RoomSocketClose code, string reason)
    {
        foreach (var (id, sockets) in rooms)
            if (roomId is null || roomId == id)
                foreach (var connection in sockets.Of(userId))
                    connection.Close(code, reason);
    }

    public IEnumerable<RoomConnection> ConnectionsOf(string userId) => rooms.Values.SelectMany(r => r.Of(userId));

    public void CloseAll(RoomSocketClose code, string reason)
    {
        foreach (var sockets in rooms.Values)
            foreach (var connection in sockets.All())
                connection.Close(code, reason);
    }

    public int Count => rooms.Values.Sum(r => r.All().Length);

    private sealed class RoomSockets
    {
        private readonly Lock gate = new();
        private RoomConnection[] connections = [];

        public bool Add(RoomConnection connection)
        {
            lock (gate)
            {
                var first = connections.All(c => c.UserId != connection.UserId);
                connections = [.. connections, connection];
                return first;
            }
        }

        public bool Remove(RoomConnection connection)
        {
            lock (gate)
            {
                connections = connections.Where(c => c != connection).ToArray();
                return connections.All(c => c.UserId != connection.UserId);
            }
        }

        public RoomConnection[] All() => connections;

        public IEnumerable<RoomConnection> Of(string userId) => connections.Where(c => c.UserId == userId);

        public IReadOnlySet<string> Users() => connections.Select(c => c.UserId).ToHashSet();

        /// <summary>
        /// Every socket gets the same bytes. Broadcasts of two posts may cross on their way here;
        /// each socket puts new messages in Seq order itself (see <see cref="RoomConnection"/>).
        /// </summary>
        public void Deliver(ReadOnlyMemory<byte> fragment, long seq)
        {
            foreach (var connection in connections)
                connection.Enqueue(fragment, seq);
        }
    }
}
