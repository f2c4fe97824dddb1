using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Agents;
using AgentRooms.Web.Components;
using Microsoft.EntityFrameworkCore;
using AgentRooms.Web.Messages;
using AgentRooms.Web.Rooms;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// What pages call after they commit a change: renders the fragment once, with the same
/// component the page uses, and hands it to the broadcaster. Nobody hears of an uncommitted change.
/// </summary>
public sealed class RoomFeed(
    AppDbContext db, RoomHistory history, FragmentRenderer renderer, IRoomBroadcaster broadcaster,
    IPresence presence, Typing typing)
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

    /// <summary>Everyone sees at once that the agent is answering.</summary>
    public async Task ReplyStarted(AgentReply reply, CancellationToken cancel = default)
    {
        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == reply.AgentId, cancel);
        var roomId = reply.TriggerMessage?.RoomId ?? await db.Messages.Where(m => m.Id == reply.TriggerMessageId).Select(m => m.RoomId).SingleAsync(cancel);
        await broadcaster.Publish(roomId, await renderer.RenderUtf8<ReplyAppend>(
            new Dictionary<string, object?> { ["Reply"] = new ReplyShown(reply.Id, roomId, agent.Name, agent.Emoji) }));
    }

    /// <summary>The placeholder gets what the reply added since the last push.</summary>
    public async Task ReplyProgress(AgentReply reply, string added) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8<ReplyText>(
            new Dictionary<string, object?> { ["ReplyId"] = reply.Id, ["Text"] = added }));

    /// <summary>The placeholder goes; the finished reply, if any, arrived as a message of its own.</summary>
    public async Task ReplyEnded(AgentReply reply) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId,
            await renderer.RenderUtf8<ReplyRemoved>(new Dictionary<string, object?> { ["ReplyId"] = reply.Id }));

    /// <summary>The member's sockets close at once; everyone else sees the member list change.</summary>
    public async Task MemberLeft(int roomId, string userId, CancellationToken cancel = default)
    {
        await broadcaster.Disconnect(roomId, userId);
        await MembersChanged(roomId, cancel);
    }
}
