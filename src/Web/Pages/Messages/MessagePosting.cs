using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>What became of a send: the saved message, or why it was not saved (with the HTTP status that says so).</summary>
public sealed record SendResult(Message? Message, string? Error, int Status)
{
    public static SendResult Refused(string error, int status) => new(null, error, status);
}

/// <summary>
/// What people write: a send, however it arrives (the composer's form post, or the room's socket),
/// with the same checks, limits and words when it is refused; then saved in order and once
/// (<see cref="MessageLog"/>), and the agents it names set off. Edits, deletions and the room's own lines too.
/// </summary>
public sealed class MessagePosting(
    AppDbContext db, WriteGate gate, MessageLog log, MarkdownRenderer markdown, MessageFeed feed, IAgentReplies agents,
    MessageFiles files, RequestLimits limits) : IRoomSend
{
    public const string Archived = "This room is archived: it is read-only. Its owner can unarchive it in the room's settings.";

    /// <param name="fileKeys">Files the sender uploaded to this room for this message; with them, the text may be empty.</param>
    public async Task<SendResult> Send(int roomId, string userId, string? text, Guid clientMessageId, long? quotedMessageId = null,
        IReadOnlyCollection<Guid>? fileKeys = null, CancellationToken cancel = default)
    {
        var keys = fileKeys?.Distinct().ToList() ?? [];
        // The sender's name if they are a member (a member's room is always theirs to see): the room's copy is rendered with it.
        if (await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId)
                .Select(m => new { m.User!.DisplayName, m.Room!.Kind, m.Room.ArchivedAt }).FirstOrDefaultAsync(cancel) is not { } sender)
            return SendResult.Refused("You are not a member of this room.", StatusCodes.Status404NotFound);
        if (sender.ArchivedAt is not null)
            return SendResult.Refused(Archived, StatusCodes.Status409Conflict);
        var content = text?.Trim() ?? "";
        var error = content.Length switch
        {
            0 when keys.Count == 0 => "Write something first.",
            _ when keys.Count > files.MaxPerMessage => $"A message can carry at most {files.MaxPerMessage} files (this one has {keys.Count}).",
            > Message.ContentMaxLength => $"Messages are at most {Message.ContentMaxLength} characters (this one has {content.Length}).",
            _ => clientMessageId == Guid.Empty ? "Reload the page and send again." : null,
        };
        if (error is not null)
            return SendResult.Refused(error, StatusCodes.Status422UnprocessableEntity);
        if (!limits.Allow(Limit.Post, userId))
            return SendResult.Refused("You're sending a lot in a short time. Wait a little, then send this again.", StatusCodes.Status429TooManyRequests);
        try
        {
            return new SendResult(await Post(roomId, userId, content, clientMessageId, sender.DisplayName, quotedMessageId,
                direct: sender.Kind == RoomKind.Direct, keys, cancel), null, StatusCodes.Status200OK);
        }
        catch (MentionLimitReached limit)
        {
            return SendResult.Refused(limit.RoomWide
                ? "The agents in this room have been asked a lot in the last minute. Wait a moment, then send this again."
                : "You've asked agents a lot in the last minute. Wait a moment, then send this again.", StatusCodes.Status429TooManyRequests);
        }
        catch (FilesNotAttached)
        {
            return SendResult.Refused("A file of this message is no longer there (removed, or sent already). Attach it again.", StatusCodes.Status409Conflict);
        }
        catch (MessageNotSaved)
        {
            return SendResult.Refused("Your message could not be saved. It is still here; try sending it again.", StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>A send over the room's socket: null when saved (it then reaches every page of the room, the sender's too), else why not.</summary>
    async Task<string?> IRoomSend.Send(int roomId, string userId, string content, Guid clientMessageId, long? quotedMessageId,
        IReadOnlyCollection<Guid> fileKeys, CancellationToken cancel) =>
        (await Send(roomId, userId, content, clientMessageId, quotedMessageId, fileKeys, cancel)).Error;

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
        if (handles.Count == 0 && quotedMessageId is null && fileKeys.Count == 0 && !direct)
        {
            var plain = Written();
            // Not cancelled midway: once queued it may be saved, and a saved message is always told.
            if (await log.Batched(plain, authorName))
                return plain;
        }
        else if (await Find(roomId, userId, clientMessageId, cancel) is { } original)
            return original;

        var message = Written();
        IReadOnlyList<AgentRooms.Data.Agents.AgentReply> started;
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
            started = await log.Append(db, feed, message, handles, async () =>
            {
                var replies = await agents.Ask(message, handles, direct, cancel);
                if (quoted?.AuthorId is { } quotedAuthor && quotedAuthor != userId
                    && !db.PersonMentions.Local.Any(p => p.Message == message && p.UserId == quotedAuthor))
                    db.PersonMentions.Add(new PersonMention
                    {
                        Message = message, UserId = quotedAuthor, RoomId = roomId, Seq = message.Seq, Kind = PersonMentionKind.Quote,
                    });
                if (fileKeys.Count > 0)
                {
                    await db.SaveChangesAsync(cancel); // the files are claimed by the message's Id
                    if (!await files.Claim(message.Id, roomId, userId, fileKeys, cancel))
                        throw new FilesNotAttached();
                }
                return replies;
            }, cancel);
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
        await agents.Start(started, cancel);
        return message;
    }

    /// <summary>A line about the room itself (<see cref="SystemLines"/>), naming <paramref name="userId"/>.</summary>
    public async Task PostLine(int roomId, string userId, string what, CancellationToken cancel = default)
    {
        var message = new Message { RoomId = roomId, Kind = MessageKind.System, SenderUserId = userId, Content = what, ContentHtml = what };
        await log.Append(db, feed, message, new HashSet<string>(), () => Task.FromResult(true), cancel);
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
            await MessageLog.MentionPeople(db, message, Mentions.Handles(content), except: quoted, cancel);
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        await feed.Changed(message, cancel);
    }

    /// <summary>The text goes, and the files and an agent's earlier answers with it: nobody can open them again, and files' bytes are removed.</summary>
    public async Task Delete(Message message, CancellationToken cancel = default)
    {
        message.Delete();
        List<Guid> removed;
        using (await gate.Enter(cancel))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            removed = await files.Remove(message.Id, cancel);
            await db.EarlierAnswers.Where(a => a.MessageId == message.Id).ExecuteDeleteAsync(cancel);
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        files.Forget(removed);
        await feed.Changed(message, cancel);
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
