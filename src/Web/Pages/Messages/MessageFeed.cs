using AgentRooms.Web.Infrastructure;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// Tells the room about a committed message: renders the fragment once, with the same component
/// the page uses, and hands it to the broadcaster. Nobody hears of an uncommitted change.
/// </summary>
public sealed class MessageFeed(RoomHistory history, FragmentRenderer renderer, IRoomBroadcaster broadcaster, Typing typing,
    IEnumerable<IMessagePosted> listeners, AppMetrics metrics)
{
    /// <summary>
    /// A new message. A person's, given their <paramref name="authorName"/>, is rendered from the object
    /// just saved; others are read back (an agent's name, emoji and who asked it).
    /// </summary>
    public async Task Posted(Message message, string? authorName = null, CancellationToken cancel = default)
    {
        metrics.Posted();
        if (message.SenderUserId is { } author)
            await typing.Stopped(message.RoomId, author);
        var shown = message.Kind == MessageKind.User && authorName is not null && message.QuotedMessageId is null
            ? new ShownMessage(message.Id, message.RoomId, message.Seq, message.Kind, message.SenderUserId, authorName, null,
                message.ContentHtml ?? "", message.CreatedAt, Edited: false, Deleted: false, ReplyState: null, message.ClientMessageId)
            : await history.One(message.RoomId, message.Id, cancel);
        if (shown is null)
            return;
        await broadcaster.Publish(message.RoomId, await renderer.RenderUtf8(MessageAppend.Of(shown)), message.Seq);
        foreach (var listener in listeners)
            listener.Posted(message);
    }

    /// <summary>An edit or a deletion: the message is replaced where it stands.</summary>
    public async Task Changed(Message message, CancellationToken cancel = default)
    {
        if (await history.One(message.RoomId, message.Id, cancel) is not { } shown)
            return;
        await broadcaster.Publish(message.RoomId, await renderer.RenderUtf8(MessageView.Replacing(shown)));
    }
}

/// <summary>Told of each new message once it is saved and on its way to the room (the Notifications feature listens). Must not block.</summary>
public interface IMessagePosted
{
    void Posted(Message message);
}

/// <summary>"… is typing", rendered for the transport's typing tracker.</summary>
public sealed class TypingFragment(FragmentRenderer renderer) : ITypingView
{
    public Task<byte[]> Render(IReadOnlyList<Typer> typers) =>
        renderer.RenderUtf8(TypingView.Replacing(typers));
}
