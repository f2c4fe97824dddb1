namespace AgentRooms.Web.Realtime;

// Realtime carries bytes between rooms and sockets and knows no feature. What it needs from the
// features, it asks through these seams; each feature registers its implementation.

/// <summary>What a reconnecting page missed (the Messages feature reads and renders it).</summary>
public interface IRoomCatchUp
{
    /// <summary>
    /// The new messages after <paramref name="afterSeq"/> through <paramref name="throughSeq"/>, at most
    /// one page of them; null when the page missed more and should reload instead.
    /// </summary>
    Task<List<(long Seq, byte[] Fragment)>?> After(int roomId, long afterSeq, long throughSeq, CancellationToken cancel);

    /// <summary>Edits and deletions, since the oldest message the page shows, of messages it already has.</summary>
    Task<List<byte[]>> Changed(int roomId, long sinceSeq, long throughSeq, CancellationToken cancel);

    /// <summary>Tells a page that missed more than a page to reload.</summary>
    byte[] ReloadNote(int roomId);
}

/// <summary>
/// What is going on in a room now that a page which was away would show wrong (the Agents feature:
/// the replies being written). Sent to every page after its catch-up, so it replaces what the page has.
/// </summary>
public interface IRoomNow
{
    Task<byte[]> Now(int roomId, CancellationToken cancel);
}

/// <summary>Saves what a page sends over its socket, checked and limited as the composer's form post is (the Messages feature).</summary>
public interface IRoomSend
{
    /// <summary>Null when saved (the message then reaches every page of the room, the sender's too); otherwise why not, for the sender.</summary>
    Task<string?> Send(int roomId, string userId, string content, Guid clientMessageId, long? quotedMessageId, IReadOnlyCollection<Guid> files,
        CancellationToken cancel);
}

/// <summary>The rooms a person is in, whose lines their pages keep up to date (the Members feature).</summary>
public interface IPersonRooms
{
    Task<IReadOnlyCollection<int>> RoomsOf(string userId, CancellationToken cancel);
}

/// <summary>Saves how far a person has read a room (a <c>read</c> from their open room page; the Members feature).</summary>
public interface IRoomRead
{
    Task Read(int roomId, string userId, long seq, CancellationToken cancel);
}

/// <summary>Shows who is here after people arrive or leave (the Members feature pushes its member list).</summary>
public interface IPresenceFeed
{
    Task PresenceChanged(int roomId, CancellationToken cancel = default);
}

/// <summary>Renders "… is typing" for the people typing (the Messages feature owns the fragment).</summary>
public interface ITypingView
{
    Task<byte[]> Render(IReadOnlyList<Typer> typers);
}

/// <summary>
/// Something any node may be asked to do, wherever the request arrived: stopping a reply that
/// is produced on one node, say. A feature registers one per <see cref="Name"/>; the broadcaster
/// runs it on every node (<see cref="IRoomBroadcaster.Command"/>).
/// </summary>
public interface INodeCommand
{
    string Name { get; }

    void Run(long value);
}
