using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// The sockets open on this node, by room and by person. A room or person with no socket left is
/// forgotten, so memory follows the sockets that are open, not every room ever opened. A person
/// holds at most <c>Realtime:SocketsPerPerson</c> sockets on a node; opening one more closes their oldest.
/// </summary>
public sealed class ConnectionRegistry(IOptions<RealtimeOptions> options)
{
    private readonly ConcurrentDictionary<int, Sockets> rooms = new();
    private readonly ConcurrentDictionary<string, Sockets> people = new();
    private readonly int perPerson = options.Value.SocketsPerPerson;

    /// <summary>Adds a socket; true when it is the user's first in the room (they just arrived).</summary>
    public bool Add(RoomConnection connection)
    {
        var first = Add(rooms, connection.RoomId, connection).All(c => c == connection || c.UserId != connection.UserId);
        var mine = Add(people, connection.UserId, connection);
        if (mine.Length > perPerson)
            mine[0].Close(RoomSocketClose.PolicyViolation, "too many open pages");
        return first;
    }

    /// <summary>Removes a socket; true when it was the user's last in the room (they just left).</summary>
    public bool Remove(RoomConnection connection)
    {
        Remove(people, connection.UserId, connection);
        return Remove(rooms, connection.RoomId, connection) is { } left && left.All(c => c.UserId != connection.UserId);
    }

    /// <summary>How many rooms and people this node keeps sockets for.</summary>
    public (int Rooms, int People) Tracked => (rooms.Count, people.Count);

    private static RoomConnection[] Add<TKey>(ConcurrentDictionary<TKey, Sockets> index, TKey key, RoomConnection connection) where TKey : notnull
    {
        while (true)
        {
            // An entry emptied at this moment is on its way out; the next look finds a fresh one.
            if (index.GetOrAdd(key, _ => new Sockets()).TryAdd(connection) is { } all)
                return all;
        }
    }

    private static RoomConnection[]? Remove<TKey>(ConcurrentDictionary<TKey, Sockets> index, TKey key, RoomConnection connection) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var sockets))
            return null;
        var left = sockets.Remove(connection);
        if (left.Length == 0)
            index.TryRemove(new KeyValuePair<TKey, Sockets>(key, sockets));
        return left;
    }

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

    public IEnumerable<RoomConnection> ConnectionsOf(string userId) =>
        people.TryGetValue(userId, out var sockets) ? sockets.All() : [];

    public void CloseAll(RoomSocketClose code, string reason)
    {
        foreach (var sockets in rooms.Values)
            foreach (var connection in sockets.All())
                connection.Close(code, reason);
    }

    private sealed class Sockets
    {
        private readonly Lock gate = new();
        private RoomConnection[] connections = [];
        private bool retired;

        /// <summary>All sockets after adding this one, oldest first; null when this entry was emptied and retired.</summary>
        public RoomConnection[]? TryAdd(RoomConnection connection)
        {
            lock (gate)
            {
                if (retired)
                    return null;
                return connections = [.. connections, connection];
            }
        }

        /// <summary>The sockets left; none left retires the entry for good.</summary>
        public RoomConnection[] Remove(RoomConnection connection)
        {
            lock (gate)
            {
                connections = connections.Where(c => c != connection).ToArray();
                retired = connections.Length == 0;
                return connections;
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
