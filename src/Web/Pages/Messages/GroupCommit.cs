using System.Threading.Channels;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// Group commit for plain messages (no mentions, so nothing else to save or check with them): those
/// that arrive while a save is under way are saved together by the next one, in one transaction, each
/// room's Seq bumped once for all of its messages, in the order they arrived. One writer per node
/// drains the queue; under load a batch grows, so the cost of a transaction is shared, and when the
/// node is quiet a batch is one message saved at once. Rooms are locked in Id order, so two nodes
/// writing the same rooms cannot deadlock. The room hears of a batch's messages in Seq order (a page
/// that hears of a later Seq first reads the gap from the database).
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    public const int MaxBatch = 64;

    private readonly IServiceScopeFactory scopes;
    private readonly WriteGate gate;
    private readonly ILogger<GroupCommit> log;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    public GroupCommit(IServiceScopeFactory scopes, WriteGate gate, ILogger<GroupCommit> log)
    {
        (this.scopes, this.gate, this.log) = (scopes, gate, log);
        writer = Task.Run(Write);
    }

    private sealed record Pending(Message Message, string? AuthorName, TaskCompletionSource<bool> Saved);

    /// <summary>
    /// True once <paramref name="message"/> is committed (it then has its Id and Seq) and the room was
    /// told (<see cref="MessageFeed.Posted"/>, with the sender's <paramref name="authorName"/>). False
    /// when its batch failed as a whole (a repeated send among them, a broken connection): nothing of
    /// the batch was saved, and the caller saves the message alone, where each failure has its own answer.
    /// </summary>
    public Task<bool> Save(Message message, string? authorName)
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
                    await Tell(scope.ServiceProvider.GetRequiredService<MessageFeed>(), batch);
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

    private async Task Tell(MessageFeed feed, List<Pending> batch)
    {
        foreach (var pending in batch.OrderBy(p => p.Message.Seq))
        {
            try
            {
                await feed.Posted(pending.Message, pending.AuthorName);
            }
            catch (Exception exception)
            {
                // Saved all the same: pages that missed the push read it on their next catch-up.
                log.LogError(exception, "Room {RoomId}: message {Seq} was saved but not pushed", pending.Message.RoomId, pending.Message.Seq);
            }
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
