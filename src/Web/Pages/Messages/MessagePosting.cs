using System.Data.Common;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>Saves what people and agents write, in order and once, then tells the room and wakes mentioned agents.</summary>
public sealed class MessagePosting(
    AppDbContext db, WriteGate gate, GroupCommit groupCommit, MarkdownRenderer markdown, MessageFeed feed, IReplyQueue replies,
    MessageFiles files, IOptions<MentionOptions> mentionOptions)
{
    /// <summary>
    /// Saves a person's message. A repeated <paramref name="clientMessageId"/> returns the message it
    /// first created. Mentioned agents in the room get a reply each, saved in the same transaction.
    /// Given the sender's <paramref name="authorName"/>, the room's copy is rendered without reading the message back.
    /// </summary>
    /// <param name="direct">In a direct conversation its agents answer every message, mentioned or not.</param>
    /// <param name="fileKeys">The sender's uploads to send with it (distinct); all are attached, or the send fails with <see cref="FilesNotAttached"/>.</param>
    public async Task<Message> Post(int roomId, string userId, string content, Guid clientMessageId, string? authorName = null,
        long? quotedMessageId = null, bool direct = false, IReadOnlyCollection<Guid>? fileKeys = null, CancellationToken cancel = default)
    {
        fileKeys ??= [];
        var html = markdown.ToHtml(content);
        Message Written() => new()
        {
            RoomId = roomId,
            Kind = MessageKind.User,
            SenderUserId = userId,
            Content = content,
            ContentHtml = html,
            ClientMessageId = clientMessageId,
        };

        // A repeat is caught by the unique (room, sender, ClientMessageId) key below rather than looked
        // for first (repeats are rare; every send would pay for the lookup), except with mentions: a
        // repeat must get its original back, not count against the mention limit.
        var handles = Mentions.Handles(content);
        if (direct && await db.RoomAgents.Where(ra => ra.RoomId == roomId).Select(ra => ra.Handle).ToListAsync(cancel) is { Count: > 0 } agents)
            handles = new HashSet<string>(handles.Concat(agents));
        if (handles.Count == 0 && quotedMessageId is null && fileKeys.Count == 0)
        {
            var plain = Written();
            // Not cancelled midway: once queued it may be saved, and a saved message is always told.
            if (await groupCommit.Save(plain, authorName))
                return plain;
        }
        else if (await Find(roomId, userId, clientMessageId, cancel) is { } original)
            return original;

        var message = Written();
        List<AgentReply> started;
        try
        {
            var quoted = quotedMessageId is { } quoteId ? await Quotable(roomId, quoteId, cancel) : null;
            if (quoted is not null)
            {
                message.QuotedMessageId = quoted.Id;
                // A reply to an agent asks it, as a mention would.
                if (quoted.Handle is { } agentHandle)
                    handles = new HashSet<string>(handles) { agentHandle };
            }
            started = await Append(message, handles, depth: 1, author: null, cancel, quotedAuthor: quoted?.AuthorId, fileKeys: fileKeys);
        }
        catch (Exception exception) when (exception is MentionLimitReached or FilesNotAttached)
        {
            db.ChangeTracker.Clear();
            // A repeat of a send that went through finds its files taken by itself.
            if (exception is FilesNotAttached && await Find(roomId, userId, clientMessageId, cancel) is { } first)
                return first;
            throw;
        }
        catch (DbUpdateException)
        {
            // Lost a race with the same send (a double click, a retry): the first one stands.
            db.ChangeTracker.Clear();
            return await Find(roomId, userId, clientMessageId, cancel) ?? throw new MessageNotSaved();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new MessageNotSaved(exception);
        }

        // Files are read back with the message (its own copy knows only their keys).
        await feed.Posted(message, fileKeys.Count == 0 ? authorName : null, cancel);
        await replies.Start(started, cancel);
        return message;
    }

    /// <summary>
    /// Saves an agent's finished reply as a message of its own; agents it mentions answer in turn, up
    /// to the depth limit. A save the database fails (a deadlock, a dropped connection) is tried again
    /// with the same text: the answer cost a model call, and asking again would cost another.
    /// </summary>
    public async Task<Message> PostReply(AgentReply reply, Agent agent, string content, ReplyState state, CancellationToken cancel = default)
    {
        if (reply.ReplyMessageId is { } earlier)
            return await ReplaceReply(reply, earlier, content, state, cancel);
        var handles = state == ReplyState.Done ? Mentions.Handles(content) : new HashSet<string>();
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
            List<AgentReply> started;
            try
            {
                started = await Append(message, handles, reply.Depth + 1, agent.Id, cancel, reply);
            }
            catch (Exception exception) when (attempt < ReplySaveAttempts
                                              && (exception is DbUpdateException or DbException || exception.InnerException is DbException))
            {
                // The transaction rolled back: forget what it added (the reply's own changes stay) and save again.
                foreach (var added in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
                    added.State = EntityState.Detached;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancel);
                continue;
            }
            await feed.Posted(message, cancel: cancel);
            await replies.Start(started, cancel);
            return message;
        }
    }

    private const int ReplySaveAttempts = 3;

    /// <summary>A reply answered again (Retry, Regenerate) takes its earlier answer's place: the same message, new text.</summary>
    private async Task<Message> ReplaceReply(AgentReply reply, long messageId, string content, ReplyState state, CancellationToken cancel)
    {
        var html = markdown.ToHtml(content);
        Message message;
        using (await gate.Enter(cancel))
        {
            await using var transaction = await db.Database.BeginRowLockingTransactionAsync(cancel);
            if (!await StillAnswering(reply, cancel))
                throw new ReplyTakenOver(reply.Id);
            message = await db.Messages.SingleAsync(m => m.Id == messageId, cancel);
            message.Edit(content, html);
            message.ReplyState = state;
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        await feed.Changed(message, cancel);
        return message;
    }

    /// <summary>A line about the room itself (<see cref="SystemLines"/>), naming <paramref name="userId"/>.</summary>
    public async Task PostLine(int roomId, string userId, string what, CancellationToken cancel = default)
    {
        var message = new Message { RoomId = roomId, Kind = MessageKind.System, SenderUserId = userId, Content = what, ContentHtml = what };
        await Append(message, new HashSet<string>(), depth: 1, author: null, cancel);
        await feed.Posted(message, cancel: cancel);
    }

    /// <summary>A new text, and with it who it names: people it no longer mentions lose it from their Mentions, people it now names get it.</summary>
    public async Task Edit(Message message, string content, CancellationToken cancel = default)
    {
        message.Edit(content, markdown.ToHtml(content));
        using (await gate.Enter(cancel))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            await db.PersonMentions.Where(p => p.MessageId == message.Id && p.Kind == PersonMentionKind.Mention).ExecuteDeleteAsync(cancel);
            var quoted = await db.PersonMentions.Where(p => p.MessageId == message.Id).Select(p => p.UserId).ToListAsync(cancel);
            await MentionPeople(message, Mentions.Handles(content), except: quoted, cancel);
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        await feed.Changed(message, cancel);
    }

    /// <summary>
    /// Records who among the room's members <paramref name="handles"/> names (<c>@their-name</c>, as the
    /// composer's picker writes it), never the author, for their Mentions page and rooms list. Where two
    /// members' names read alike, the name is the one's who joined first: a newcomer taking the name
    /// cannot take their mentions (and a person cannot rename themselves into another's, Profile refuses it).
    /// </summary>
    private async Task MentionPeople(Message message, IReadOnlySet<string> handles, IReadOnlyCollection<string> except, CancellationToken cancel)
    {
        if (handles.Count == 0)
            return;
        var members = await db.RoomMembers.Where(m => m.RoomId == message.RoomId)
            .Select(m => new { m.UserId, m.User!.DisplayName, m.JoinedAt }).ToListAsync(cancel);
        var named = members.GroupBy(m => PersonShown.MentionOf(m.DisplayName)).Where(g => handles.Contains(g.Key))
            .Select(g => g.OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).First());
        foreach (var member in named)
            if (member.UserId != message.SenderUserId && !except.Contains(member.UserId))
                db.PersonMentions.Add(new PersonMention
                {
                    Message = message, UserId = member.UserId, RoomId = message.RoomId, Seq = message.Seq, Kind = PersonMentionKind.Mention,
                });
    }

    /// <summary>The text goes, and the files with it: nobody can open them again, and their bytes are removed.</summary>
    public async Task Delete(Message message, CancellationToken cancel = default)
    {
        message.Delete();
        List<Guid> removed;
        using (await gate.Enter(cancel))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            removed = await files.Remove(message.Id, cancel);
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        files.Forget(removed);
        await feed.Changed(message, cancel);
    }

    /// <summary>
    /// Gives the message the room's next Seq: the bump of <see cref="Room.LastSeq"/> and the insert
    /// share one transaction, so a later commit never carries a smaller Seq. The replies it sets
    /// off are saved with it, so none is lost between the commit and the enqueue.
    /// </summary>
    private async Task<List<AgentReply>> Append(Message message, IReadOnlySet<string> handles, int depth, int? author,
        CancellationToken cancel, AgentReply? answering = null, string? quotedAuthor = null, IReadOnlyCollection<Guid>? fileKeys = null)
    {
        using var _ = await gate.Enter(cancel);
        await using var transaction = await db.Database.BeginRowLockingTransactionAsync(cancel);
        if (answering is not null && !await StillAnswering(answering, cancel))
            throw new ReplyTakenOver(answering.Id);
        await db.Rooms.Where(r => r.Id == message.RoomId)
            .ExecuteUpdateAsync(room => room.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), cancel);
        message.Seq = await db.Rooms.Where(r => r.Id == message.RoomId).Select(r => r.LastSeq).SingleAsync(cancel);
        db.Messages.Add(message);

        var started = new List<AgentReply>();
        if (handles.Count > 0 && depth <= mentionOptions.Value.MaxDepth)
        {
            var agentIds = await db.RoomAgents
                .Where(ra => ra.RoomId == message.RoomId && handles.Contains(ra.Handle) && ra.AgentId != author)
                .Select(ra => ra.AgentId).ToListAsync(cancel);
            var startedBy = answering is null ? message.SenderUserId : answering.StartedById;
            if (agentIds.Count > 0 && await ReplyLimitReached(message.RoomId, startedBy, agentIds.Count, cancel) is { } reached)
            {
                // A person is told and keeps the draft; an agent's reply is saved, and its chain ends here.
                if (answering is null)
                    throw reached;
                agentIds.Clear();
            }
            foreach (var agentId in agentIds)
            {
                message.Mentions.Add(new MessageMention { AgentId = agentId });
                started.Add(new AgentReply { TriggerMessage = message, AgentId = agentId, Depth = depth, StartedById = startedBy });
            }
            db.AgentReplies.AddRange(started);
        }
        if (message.Kind != MessageKind.System)
            await MentionPeople(message, handles, except: [], cancel);
        if (quotedAuthor is not null && quotedAuthor != message.SenderUserId
            && !db.PersonMentions.Local.Any(p => p.Message == message && p.UserId == quotedAuthor))
            db.PersonMentions.Add(new PersonMention
            {
                Message = message, UserId = quotedAuthor, RoomId = message.RoomId, Seq = message.Seq, Kind = PersonMentionKind.Quote,
            });
        if (answering is not null)
            answering.ReplyMessage = message;
        await db.SaveChangesAsync(cancel);
        if (fileKeys is { Count: > 0 } && !await files.Claim(message.Id, message.RoomId, message.SenderUserId!, fileKeys, cancel))
            throw new FilesNotAttached();
        await transaction.CommitAsync(cancel);
        return started;
    }

    /// <summary>
    /// The reply is still this worker's: running since the claim this worker made. A sweeper that
    /// thought its worker dead may have handed it to another, whose claim set a new StartedAt. The
    /// update locks the row (and, see <see cref="RowLocks"/>, only the row) until the commit, so of
    /// two workers only one saves an answer.
    /// </summary>
    private async Task<bool> StillAnswering(AgentReply reply, CancellationToken cancel) =>
        await db.AgentReplies
            .Where(r => r.Id == reply.Id && r.Status == AgentReplyStatus.Running && r.StartedAt == reply.StartedAt)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.CompletedAt, DateTime.UtcNow), cancel) == 1;

    /// <summary>
    /// Which limit <paramref name="count"/> more replies would pass, if any: the person who
    /// began the chain, and the room. Checked inside the append's transaction, after the room's row
    /// is locked and with the person's row locked too (on SQLite the write gate admits one append at
    /// a time), so concurrent posts cannot all pass on the same count.
    /// </summary>
    private async Task<MentionLimitReached?> ReplyLimitReached(int roomId, string? startedBy, int count, CancellationToken cancel)
    {
        var settings = mentionOptions.Value;
        var since = DateTime.UtcNow.AddMinutes(-1);
        if (startedBy is not null)
        {
            await db.Users.Where(u => u.Id == startedBy).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, x => x.DisplayName), cancel);
            if (await db.AgentReplies.CountAsync(r => r.StartedById == startedBy && r.CreatedAt > since, cancel) + count > settings.MentionsPerMinute)
                return new MentionLimitReached(roomWide: false);
        }
        return await db.AgentReplies.CountAsync(r => r.CreatedAt > since && r.TriggerMessage!.RoomId == roomId, cancel) + count
               > settings.RoomRepliesPerMinute ? new MentionLimitReached(roomWide: true) : null;
    }

    /// <summary>What a reply may quote: a message of the same room that stands (not deleted, not a line like "Ada joined").</summary>
    private async Task<Quoted?> Quotable(int roomId, long messageId, CancellationToken cancel) =>
        await db.Messages.Where(m => m.Id == messageId && m.RoomId == roomId && m.Kind != MessageKind.System && m.DeletedAt == null)
            .Select(m => new Quoted(m.Id, m.SenderUserId,
                db.RoomAgents.Where(ra => ra.RoomId == roomId && ra.AgentId == m.SenderAgentId).Select(ra => ra.Handle).FirstOrDefault()))
            .FirstOrDefaultAsync(cancel);

    private sealed record Quoted(long Id, string? AuthorId, string? Handle);

    private Task<Message?> Find(int roomId, string userId, Guid clientMessageId, CancellationToken cancel) =>
        db.Messages.AsNoTracking().FirstOrDefaultAsync(
            m => m.RoomId == roomId && m.SenderUserId == userId && m.ClientMessageId == clientMessageId, cancel);
}

/// <summary>The database refused or failed the save; the sender keeps their draft.</summary>
public sealed class MessageNotSaved(Exception? inner = null)
    : Exception("The message could not be saved.", inner);

/// <summary>A file to send with a message is not (any longer) the sender's to send: removed, or sent already.</summary>
public sealed class FilesNotAttached() : Exception("A file of the message could not be attached.");

/// <summary>Too many agent replies in the last minute, set off by this person or in this room.</summary>
public sealed class MentionLimitReached(bool roomWide) : Exception("Too many agent replies in the last minute.")
{
    public bool RoomWide => roomWide;
}

/// <summary>Another worker took the reply over (this one was thought dead): this worker's answer is not saved.</summary>
public sealed class ReplyTakenOver(long replyId) : Exception($"Reply {replyId} was taken over by another worker");
