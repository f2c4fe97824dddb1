using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Components;
using AgentRooms.Web.Messages;
using AgentRooms.Web.Rooms;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// What pages call after they commit a change: renders the fragment once, with the same
/// component the page uses, and hands it to the broadcaster. Nobody hears of an uncommitted change.
/// </summary>
public sealed class RoomFeed(
    AppDbContext db, RoomHistory history, FragmentRenderer renderer, IRoomBroadcaster broadcaster, IPresence presence, Typing typing)
{
    public async Task MessagePosted(Message message, CancellationToken cancel = default)
    {
        if (message.SenderUserId is { } author)
            await typing.Stopped(message.RoomId, author);
        if (await history.One(message.RoomId, message.Id, cancel) is not { } shown)
            return;
        var fragment = await renderer.RenderUtf8<MessageAppend>(new Dictionary<string, object?> { ["Messages"] = new[] { shown } });
        await broadcaster.Publish(message.RoomId, fragment, message.Seq);
    }

    public async Task MessageChanged(Message message, CancellationToken cancel = default)
    {
        if (await history.One(message.RoomId, message.Id, cancel) is not { } shown)
            return;
        await broadcaster.Publish(message.RoomId, await renderer.RenderUtf8<MessageView>(
            new Dictionary<string, object?> { ["Message"] = shown, ["Oob"] = "true" }));
    }

    public async Task MembersChanged(int roomId, CancellationToken cancel = default)
    {
        var members = await RoomMembers.Load(db, presence, roomId, cancel);
        await broadcaster.Publish(roomId, await renderer.RenderUtf8<MembersView>(
            new Dictionary<string, object?> { ["Members"] = members, ["Oob"] = "true" }));
    }

    public async Task RoomChanged(Room room) =>
        await broadcaster.Publish(room.Id, await renderer.RenderUtf8<RoomHeaderView>(
            new Dictionary<string, object?> { ["Room"] = room, ["Oob"] = "true" }));

    /// <summary>The member's sockets close at once; everyone else sees the member list change.</summary>
    public async Task MemberLeft(int roomId, string userId, CancellationToken cancel = default)
    {
        await broadcaster.Disconnect(roomId, userId);
        await MembersChanged(roomId, cancel);
    }
}
