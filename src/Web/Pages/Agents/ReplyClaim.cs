using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// "Is this reply still mine?", answered in one place. A worker claims a pending reply (once, however
/// often its job runs), and it stays the worker's while it is running since that claim: a sweeper that
/// thought the worker dead may have handed it to another, whose claim set a new StartedAt. Then this
/// worker's text reaches no page and its answer is not saved (<see cref="ReplyTakenOver"/>).
/// </summary>
public sealed class ReplyClaim(AppDbContext db)
{
    /// <summary>Pending → running, by this worker; false when someone else has it or it is finished.</summary>
    public async Task<bool> Claim(long replyId, CancellationToken cancel)
    {
        var now = DateTime.UtcNow;
        return await db.Database.LockingRowsOnly(c => db.AgentReplies.Where(r => r.Id == replyId && r.Status == AgentReplyStatus.Pending)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Running).SetProperty(x => x.StartedAt, now), c), cancel) == 1;
    }

    /// <summary>
    /// Inside the transaction that saves the answer: throws <see cref="ReplyTakenOver"/> unless the reply
    /// is still this worker's. The update locks the row (and, see <see cref="RowLocks"/>, only the row)
    /// until the commit, so of two workers only one saves an answer.
    /// </summary>
    public async Task Hold(AgentReply reply, CancellationToken cancel)
    {
        if (await Mine(reply).ExecuteUpdateAsync(r => r.SetProperty(x => x.CompletedAt, DateTime.UtcNow), cancel) != 1)
            throw new ReplyTakenOver(reply.Id);
    }

    /// <summary>Keeps the text so far with the reply, for pages opened mid-stream; throws <see cref="ReplyTakenOver"/> when it is not this worker's any more.</summary>
    public async Task KeepText(AgentReply reply, string text)
    {
        if (await Mine(reply).ExecuteUpdateAsync(r => r.SetProperty(x => x.PartialText, text)) == 0)
            throw new ReplyTakenOver(reply.Id);
    }

    private IQueryable<AgentReply> Mine(AgentReply reply) =>
        db.AgentReplies.Where(r => r.Id == reply.Id && r.Status == AgentReplyStatus.Running && r.StartedAt == reply.StartedAt);
}

/// <summary>Another worker took the reply over (this one was thought dead): this worker's answer is not saved.</summary>
public sealed class ReplyTakenOver(long replyId) : Exception($"Reply {replyId} was taken over by another worker");
