using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Features.Messages;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Agents;

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

    /// <summary>The placeholder gets what the reply added since the last push.</summary>
    public async Task Progress(AgentReply reply, string added) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ReplyText.Of(reply.Id, added)));

    /// <summary>The placeholder shows the tools called so far (a few, so all of them each time).</summary>
    public async Task Steps(AgentReply reply, IReadOnlyList<ToolStep> steps) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ToolStepsView.Live(reply.Id, steps)));

    /// <summary>The placeholder goes; the finished reply, if any, arrived as a message of its own.</summary>
    public async Task Ended(AgentReply reply) =>
        await broadcaster.Publish(reply.TriggerMessage!.RoomId, await renderer.RenderUtf8(ReplyRemoved.Of(reply.Id)));
}
