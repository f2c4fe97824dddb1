using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>Shows a reply while it is produced: a placeholder, the text as it streams, and its end.</summary>
public sealed class ReplyFeed(AppDbContext db, FragmentRenderer renderer, IRoomBroadcaster broadcaster)
{
    /// <summary>Everyone sees at once that the agent is answering.</summary>
    public async Task Started(AgentReply reply, CancellationToken cancel = default)
    {
        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == reply.AgentId, cancel);
        var trigger = reply.TriggerMessage is { } message
            ? new { message.RoomId, message.SenderUserId }
            : await db.Messages.Where(m => m.Id == reply.TriggerMessageId).Select(m => new { m.RoomId, m.SenderUserId }).SingleAsync(cancel);
        await broadcaster.Publish(trigger.RoomId, await renderer.RenderUtf8(ReplyAppend.Of(
            new ReplyShown(reply.Id, trigger.RoomId, agent.Name, agent.Emoji, trigger.SenderUserId))));
    }

    /// <summary>The placeholder gets what the reply added since the last push, which starts at <paramref name="from"/>.</summary>
    public async Task Progress(AgentReply reply, int from, string added) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ReplyText.Of(reply.Id, from, added)));

    /// <summary>The placeholder shows the tools called so far (a few, so all of them each time).</summary>
    public async Task Steps(AgentReply reply, IReadOnlyList<ToolStep> steps) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ToolStepsView.Live(reply.Id, reply.TriggerMessage!.RoomId, steps)));

    /// <summary>
    /// A reply handed back after its worker died starts again from nothing: pages drop the placeholder
    /// with the text so far and show a fresh one (a page without it just gains it).
    /// </summary>
    public async Task Restarted(long replyId, CancellationToken cancel = default)
    {
        var reply = await db.AgentReplies.AsNoTracking().Include(r => r.TriggerMessage).SingleAsync(r => r.Id == replyId, cancel);
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ReplyRemoved.Of(reply.Id)));
        await Started(reply, cancel);
    }

    /// <summary>The placeholder goes; the finished reply, if any, arrived as a message of its own.</summary>
    public async Task Ended(AgentReply reply) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ReplyRemoved.Of(reply.Id)));
}
