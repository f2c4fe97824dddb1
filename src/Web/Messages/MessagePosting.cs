using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Messages;

/// <summary>Saves what people write, in order and once, then tells the room.</summary>
public sealed class MessagePosting(AppDbContext db, RoomFeed feed)
{
    /// <summary>
    /// Saves the message with the room's next Seq: the bump of <see cref="Room.LastSeq"/> and the
    /// insert share one transaction, so a later commit never carries a smaller Seq. A repeated
    /// <paramref name="clientMessageId"/> returns the message it first created.
    /// </summary>
    public async Task<Message> Post(int roomId, string userId, string content, Guid clientMessageId, CancellationToken cancel = default)
    {
        if (await Find(roomId, userId, clientMessageId, cancel) is { } original)
            return original;

        var message = new Message
        {
            RoomId = roomId,
            Kind = MessageKind.User,
            SenderUserId = userId,
            Content = content,
            ClientMessageId = clientMessageId,
        };
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            await db.Rooms.Where(r => r.Id == roomId)
                .ExecuteUpdateAsync(room => room.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), cancel);
            message.Seq = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync(cancel);
            db.Messages.Add(message);
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
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

        await feed.MessagePosted(message, cancel);
        return message;
    }

    public async Task Edit(Message message, string content, CancellationToken cancel = default)
    {
        message.Edit(content);
        await db.SaveChangesAsync(cancel);
        await feed.MessageChanged(message, cancel);
    }

    public async Task Delete(Message message, CancellationToken cancel = default)
    {
        message.Delete();
        await db.SaveChangesAsync(cancel);
        await feed.MessageChanged(message, cancel);
    }

    private Task<Message?> Find(int roomId, string userId, Guid clientMessageId, CancellationToken cancel) =>
        db.Messages.AsNoTracking().FirstOrDefaultAsync(
            m => m.RoomId == roomId && m.SenderUserId == userId && m.ClientMessageId == clientMessageId, cancel);
}

/// <summary>The database refused or failed the save; the sender keeps their draft.</summary>
public sealed class MessageNotSaved(Exception? inner = null)
    : Exception("The message could not be saved.", inner);
