using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// The sockets open on this node, by room, by person, and by the rooms each page lists (its person's
/// rooms: a new message in one of them tells the page its rooms list changed). A room or person with no socket left is
/// forgotten, so memory follows the sockets that are open, not every room ever opened. A person
/// holds at most <c>Realtime:SocketsPerPerson</c> sockets on a node; opening one more closes their oldest.
/// </summary>
public sealed class ConnectionRegistry : IDisposable
{
    /// <summary>How often pages hear that a room of theirs has new messages: a busy room costs each of its members' other pages one note a second, not one per message.</summary>
    public static readonly TimeSpan NoteInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<int, Sockets> rooms = new();
    private readonly ConcurrentDictionary<string, Sockets> people = new();
    private readonly ConcurrentDictionary<int, Listing> watchers = new();
    private readonly ConcurrentQueue<RoomConnection> noted = new();
    private readonly Timer flushing;
    private readonly int perPerson;

    public ConnectionRegistry(IOptions<RealtimeOptions> options)
    {
        perPerson = options.Value.SocketsPerPerson;
        flushing = new Timer(_ => FlushNotes(), null, NoteInterval, NoteInterval);
    }

    public void Dispose() => flushing.Dispose();

    /// <summary>Adds a socket; true when it is the user's first in the room (they just arrived).</summary>
    public bool Add(RoomConnection connection)
    {
        // A page that is not a room (RoomId 0) is only its person's, and only watches.
        var first = connection.RoomId > 0 && Add(rooms, connection.RoomId, connection).All(c => c == connection || c.UserId != connection.UserId);
        // Past the cap every older socket beyond it closes (not only the oldest, which may be closing
        // already): whatever the order adds race in, the person keeps at most the newest perPerson.
        var mine = Add(people, connection.UserId, connection);
        for (var i = 0; i < mine.Length - perPerson; i++)
            mine[i].Close(RoomSocketClose.PolicyViolation, "too many open pages");
        return first;
    }

    /// <summary>Removes a socket; true when it was the user's last in the room (they just left).</summary>
    public bool Remove(RoomConnection connection)
    {
        Remove(people, connection.UserId, connection);
        lock (connection.WatchGate)
        {
            connection.Retired = true;
            foreach (var roomId in connection.Watching)
                Unlist(roomId, connection);
            connection.Watching = [];
        }
        if (connection.RoomId == 0)
            return false;
        return Remove(rooms, connection.RoomId, connection) is { } left && left.All(c => c.UserId != connection.UserId);
    }

    /// <summary>The page keeps the lines of these rooms in its rooms list up to date (replacing what it watched).</summary>
    public void Watch(RoomConnection connection, IReadOnlyCollection<int> roomIds)
    {
        lock (connection.WatchGate)
        {
            if (connection.Retired)
                return;
            var now = roomIds.Distinct().ToArray();
            foreach (var roomId in connection.Watching.Except(now))
                Unlist(roomId, connection);
            foreach (var roomId in now.Except(connection.Watching))
                while (!watchers.GetOrAdd(roomId, _ => new Listing()).TryAdd(connection))
                {
                    // That listing was emptied and retired at this moment; the next look finds a fresh one.
                }
            connection.Watching = now;
        }
    }

    private void Unlist(int roomId, RoomConnection connection)
    {
        if (watchers.TryGetValue(roomId, out var listing) && listing.Remove(connection))
            watchers.TryRemove(new KeyValuePair<int, Listing>(roomId, listing));
    }

    /// <summary>Hands a note that the room changed (a rename) to every page whose rooms list shows it.</summary>
    public void Nudge(int roomId, ReadOnlyMemory<byte> note)
    {
        if (watchers.TryGetValue(roomId, out var listing))
            foreach (var connection in listing.Snapshot())
                connection.Enqueue(note, 0);
    }

    /// <summary>Hands a note to every page of the person on this node.</summary>
    public void Nudge(string userId, ReadOnlyMemory<byte> note)
    {
        foreach (var connection in ConnectionsOf(userId))
            connection.Enqueue(note, 0);
    }

    /// <summary>How many rooms and people this node keeps sockets for.</summary>
    public (int Rooms, int People) Tracked => (rooms.Count, people.Count);

    /// <summary>Sockets open on this node (each is its person's).</summary>
    public int Open => people.Values.Sum(sockets => sockets.Count);

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

    /// <summary>A new message (<paramref name="seq"/> &gt; 0) also tells the pages listing the room elsewhere (not its own pages).</summary>
    public void Deliver(int roomId, ReadOnlyMemory<byte> fragment, long seq)
    {
        if (rooms.TryGetValue(roomId, out var sockets))
            sockets.Deliver(fragment, seq);
        if (seq > 0 && watchers.TryGetValue(roomId, out var listing))
            listing.Note(roomId, noted);
    }

    /// <summary>Each page noted since the last flush hears once that its rooms list changed.</summary>
    public void FlushNotes()
    {
        var count = noted.Count;
        for (var i = 0; i < count && noted.TryDequeue(out var connection); i++)
        {
            Volatile.Write(ref connection.Noted, 0);
            connection.Enqueue(RoomsNote.Posted(connection.NotedRoom), 0);
        }
    }

    public void CloseUser(string userId, int? roomId, RoomSocketClose code, string reason)
    {
        foreach (var connection in ConnectionsOf(userId))
            if (roomId is null || connection.RoomId == roomId)
                connection.Close(code, reason);
    }

    public IEnumerable<RoomConnection> ConnectionsOf(string userId) =>
        people.TryGetValue(userId, out var sockets) ? sockets.All() : [];

    public void CloseAll(RoomSocketClose code, string reason)
    {
        foreach (var sockets in people.Values)
            foreach (var connection in sockets.All())
                connection.Close(code, reason);
    }

    /// <summary>
    /// The pages listing one room. Unlike a room's sockets (read on every push, changed rarely) it
    /// changes on every connect of every member, so adding and removing cost O(1), not a copy.
    /// </summary>
    private sealed class Listing
    {
        private readonly Lock gate = new();
        private readonly HashSet<RoomConnection> pages = [];
        private bool retired;

        /// <summary>False when this listing was emptied and retired.</summary>
        public bool TryAdd(RoomConnection connection)
        {
            lock (gate)
            {
                if (!retired)
                    pages.Add(connection);
                return !retired;
            }
        }

        /// <summary>True when none is left: the listing retires for good.</summary>
        public bool Remove(RoomConnection connection)
        {
            lock (gate)
            {
                pages.Remove(connection);
                return retired = pages.Count == 0;
            }
        }

        public RoomConnection[] Snapshot()
        {
            lock (gate)
                return [.. pages];
        }

        /// <summary>Marks the pages elsewhere (not on the room itself) for the next flush of notes.</summary>
        public void Note(int roomId, ConcurrentQueue<RoomConnection> noted)
        {
            lock (gate)
            {
                foreach (var connection in pages)
                {
                    if (connection.RoomId == roomId)
                        continue;
                    connection.NotedRoom = roomId;
                    if (Interlocked.Exchange(ref connection.Noted, 1) == 0)
                        noted.Enqueue(connection);
                }
            }
        }
    }

    private sealed class Sockets
    {
        private readonly Lock gate = new();
        private RoomConnection[] connections = [];
        private bool retired;

        public int Count => connections.Length;

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
