using System.Data.Common;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// An agent's finished answer, saved as its message in the room (<see cref="MessageLog"/>) in the same
/// transaction as the reply's outcome, while the reply is still this worker's (<see cref="ReplyClaim"/>).
/// Agents it names answer in turn, up to the depth limit (<see cref="ReplyStarter.Chained"/>).
/// </summary>
public sealed class ReplyPosting(AppDbContext db, WriteGate gate, MessageLog log, MarkdownRenderer markdown, MessageFeed feed, ReplyClaim claim,
    ReplyStarter starter)
{
    private const int SaveAttempts = 3;

    /// <summary>
    /// A save the database fails (a deadlock, a dropped connection) is tried again with the same text:
    /// the answer cost a model call, and asking again would cost another.
    /// </summary>
    public async Task<Message> Post(AgentReply reply, Agent agent, string content, ReplyState state, CancellationToken cancel = default)
    {
        if (reply.ReplyMessageId is { } earlier)
            return await Replace(reply, earlier, content, state, cancel);
        var handles = state == ReplyState.Done ? Messages.Mentions.Handles(content) : new HashSet<string>();
        var html = markdown.ToHtml(content);
        for (var attempt = 1; ; attempt++)
        {
            var message = new Message
            {
                RoomId = reply.TriggerMessage!.RoomId,
                Kind = MessageKind.Agent,
                SenderAgentId = agent.Id,
                Content = content,
                ContentHtml = html,
                ReplyState = state,
            };
            IReadOnlyList<AgentReply> started;
            try
            {
                started = await log.Append(db, feed, message, handles, async () =>
                {
                    await claim.Hold(reply, cancel);
                    reply.ReplyMessage = message;
                    return await starter.Chained(message, handles, reply, cancel);
                }, cancel);
            }
            catch (Exception exception) when (attempt < SaveAttempts
                                              && (exception is DbUpdateException or DbException || exception.InnerException is DbException))
            {
                // The transaction rolled back: forget what it added (the reply's own changes stay) and save again.
                foreach (var added in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
                    added.State = EntityState.Detached;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancel);
                continue;
            }
            await starter.Start(started, cancel);
            return message;
        }
    }

    /// <summary>
    /// A reply answered again (Retry, Regenerate) takes its earlier answer's place: the same message, new
    /// text. An answer people read (finished, cut short or stopped with text) is kept as an
    /// <see cref="EarlierAnswer"/>; a failure is not one.
    /// </summary>
    private async Task<Message> Replace(AgentReply reply, long messageId, string content, ReplyState state, CancellationToken cancel)
    {
        var html = markdown.ToHtml(content);
        Message message;
        using (await gate.Enter(cancel))
        {
            await using var transaction = await db.Database.BeginRowLockingTransactionAsync(cancel);
            await claim.Hold(reply, cancel);
            message = await db.Messages.SingleAsync(m => m.Id == messageId, cancel);
            if (message is { IsDeleted: false, ReplyState: ReplyState.Done or ReplyState.Truncated or ReplyState.Stopped, Content.Length: > 0 })
            {
                var number = await db.EarlierAnswers.CountAsync(a => a.MessageId == messageId, cancel) + 1;
                db.EarlierAnswers.Add(new EarlierAnswer
                {
                    MessageId = messageId, Number = number, Content = message.Content,
                    ContentHtml = message.ContentHtml ?? markdown.ToHtml(message.Content), ReplacedAt = DateTime.UtcNow,
                });
            }
            message.Edit(content, html); // EditedAt tells reconnecting pages it changed; a reply is never shown "(edited)"
            message.ReplyState = state;
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        await feed.Changed(message, cancel);
        return message;
    }
}
