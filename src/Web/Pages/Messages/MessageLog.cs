using System.Threading.Channels;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// Where every message enters its room, whoever wrote it (a person's form post or socket send, an
/// agent's reply, a line like "Ada joined"): it is given the room's next Seq in a transaction, and once
/// committed it is pushed to the room (<see cref="MessageFeed.Posted"/>), from here and nowhere else.
/// <para>
/// Plain messages (nothing else to save or check with them) are group-committed: those that arrive
/// while a save is under way are saved together by the next one, in one transaction, each room's Seq
/// bumped once for all of its messages, in the order they arrived. One writer per node drains the
/// queue; under load a batch grows, so the cost of a transaction is shared, and when the node is quiet
/// a batch is one message saved at once. Rooms are locked in Id order, so two nodes writing the same
/// rooms cannot deadlock. The room hears of a batch's messages in Seq order (a page that hears of a
/// later Seq first reads the gap from the database). Others are appended alone, with what they carry.
/// </para>
/// </summary>
public sealed class MessageLog : IAsyncDisposable
{
    public const int MaxBatch = 64;

    private readonly IServiceScopeFactory scopes;
    private readonly WriteGate gate;
    private readonly ILogger<MessageLog> log;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    public MessageLog(IServiceScopeFactory scopes, WriteGate gate, ILogger<MessageLog> log)
    {
        (this.scopes, this.gate, this.log) = (scopes, gate, log);
        writer = Task.Run(Write);
    }

    private sealed record Pending(Message Message, string? AuthorName, TaskCompletionSource<bool> Saved);

    /// <summary>
    /// A plain message, group-committed: true once it is committed (it then has its Id and Seq) and the
    /// room was told (with the sender's <paramref name="authorName"/>). False when its batch failed as
    /// a whole (a repeated send among them, a broken connection): nothing of the batch was saved, and
    /// the caller appends the message alone, where each failure has its own answer.
    /// </summary>
    public Task<bool> Batched(Message message, string? authorName)
    {
        var pending = new Pending(message, authorName, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        return queue.Writer.TryWrite(pending) ? pending.Saved.Task : Task.FromResult(false);
    }

    private async Task Write()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            var saved = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await Commit(scope.ServiceProvider.GetRequiredService<AppDbContext>(), batch);
                    saved = true;
                }
                catch (Exception exception)
                {
                    log.LogWarning(exception, "A batch of {Count} messages was not saved; each is tried alone", batch.Count);
                }
                if (saved)
                    foreach (var pending in batch.OrderBy(p => p.Message.Seq))
                        await Push(scope.ServiceProvider.GetRequiredService<MessageFeed>(), pending.Message, pending.AuthorName);
            }
            catch (Exception exception)
            {
                // Whatever fails here, the writer lives on and no sender is left waiting.
                log.LogError(exception, "The group commit's writer failed on a batch of {Count} (saved: {Saved})", batch.Count, saved);
            }
            foreach (var pending in batch)
                pending.Saved.TrySetResult(saved);
            batch.Clear();
        }
    }

    /// <summary>
    /// A message appended alone, in a transaction of the caller's <paramref name="db"/>:
    /// <paramref name="alongside"/> adds what is saved with it (and may refuse it by throwing: nothing is
    /// saved), after the people it names are recorded (<see cref="MentionPeople"/>); then it is committed
    /// and pushed through the caller's <paramref name="feed"/>.
    /// </summary>
    public async Task<T> Append<T>(AppDbContext db, MessageFeed feed, Message message, IReadOnlySet<string> handles, Func<Task<T>> alongside,
        CancellationToken cancel)
    {
        T result;
        using (await gate.Enter(cancel))
        {
            await using var transaction = await db.Database.BeginRowLockingTransactionAsync(cancel);
            await db.Rooms.Where(r => r.Id == message.RoomId)
                .ExecuteUpdateAsync(room => room.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), cancel);
            message.Seq = await db.Rooms.Where(r => r.Id == message.RoomId).Select(r => r.LastSeq).SingleAsync(cancel);
            db.Messages.Add(message);
            if (message.Kind != MessageKind.System)
                await MentionPeople(db, message, handles, except: [], cancel);
            result = await alongside();
            await db.SaveChangesAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        await Push(feed, message, authorName: null);
        return result;
    }

    /// <summary>
    /// Records who among the room's members <paramref name="handles"/> names (<c>@their-name</c>, as the
    /// composer's picker writes it), never the author, for their Mentions page and rooms list. Where two
    /// members' names read alike, the name is the one's who joined first: a newcomer taking the name
    /// cannot take their mentions (and a person cannot rename themselves into another's, Profile refuses it).
    /// </summary>
    public static async Task MentionPeople(AppDbContext db, Message message, IReadOnlySet<string> handles, IReadOnlyCollection<string> except,
        CancellationToken cancel)
    {
        if (handles.Count == 0)
            return;
        var members = await db.RoomMembers.Where(m => m.RoomId == message.RoomId)
            .Select(m => new { m.UserId, m.User!.DisplayName, m.JoinedAt }).ToListAsync(cancel);
        var named = members.GroupBy(m => PersonShown.MentionOf(m.DisplayName)).Where(g => handles.Contains(g.Key))
            .Select(g => g.OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).First());
        foreach (var member in named)
            if (member.UserId != message.SenderUserId && !except.Contains(member.UserId)
                && !db.PersonMentions.Local.Any(p => p.Message == message && p.UserId == member.UserId))
                db.PersonMentions.Add(new PersonMention
                {
                    Message = message, UserId = member.UserId, RoomId = message.RoomId, Seq = message.Seq, Kind = PersonMentionKind.Mention,
                });
    }

    /// <summary>Saved all the same if this fails: pages that missed the push read it on their next catch-up.</summary>
    private async Task Push(MessageFeed feed, Message message, string? authorName)
    {
        try
        {
            await feed.Posted(message, authorName);
        }
        catch (Exception exception)
        {
            log.LogError(exception, "Room {RoomId}: message {Seq} was saved but not pushed", message.RoomId, message.Seq);
        }
    }

    private async Task Commit(AppDbContext db, List<Pending> batch)
    {
        using var _ = await gate.Enter(CancellationToken.None);
        await using var transaction = await db.Database.BeginRowLockingTransactionAsync();
        var rooms = batch.GroupBy(p => p.Message.RoomId).OrderBy(room => room.Key).ToList();
        foreach (var room in rooms)
        {
            var count = room.Count();
            await db.Rooms.Where(r => r.Id == room.Key).ExecuteUpdateAsync(r => r.SetProperty(x => x.LastSeq, x => x.LastSeq + count));
        }
        var roomIds = rooms.Select(room => room.Key).ToList();
        var lastSeqs = await db.Rooms.Where(r => roomIds.Contains(r.Id)).Select(r => new { r.Id, r.LastSeq }).ToDictionaryAsync(r => r.Id, r => r.LastSeq);
        foreach (var room in rooms)
        {
            var seq = lastSeqs[room.Key] - room.Count();
            foreach (var pending in room)
                pending.Message.Seq = ++seq;
        }
        db.Messages.AddRange(batch.Select(p => p.Message));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
    }
}
