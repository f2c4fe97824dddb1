using System.Collections.Concurrent;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Approvals;

/// <summary><c>Agents:ApprovalTimeout</c>: how long a tool call waits for the person who asked before it is not run.</summary>
public sealed class ApprovalOptions
{
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

public enum DecideResult
{
    Done,
    NotFound,

    /// <summary>Someone other than the person who asked.</summary>
    NotYours,

    /// <summary>Decided already, expired, or the reply ended.</summary>
    Over,
}

/// <summary>
/// Tool calls waiting for the person who asked: asked (a row), decided by that person on any node,
/// and waited for by the node running the reply, which reads the row (woken at once when the decision
/// was made on the same node). A call nobody decides expires after <see cref="ApprovalOptions.ApprovalTimeout"/>.
/// </summary>
public sealed class ToolApprovals(AppDbContext db, IOptions<ApprovalOptions> options)
{
    private static readonly ConcurrentDictionary<long, TaskCompletionSource> Decided = new();
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task<ToolApproval> Ask(long replyId, int roomId, string askerId, string tool, string arguments)
    {
        var approval = new ToolApproval
        {
            AgentReplyId = replyId, RoomId = roomId, AskerId = askerId,
            Tool = tool.Length > ToolApproval.ToolMaxLength ? tool[..ToolApproval.ToolMaxLength] : tool,
            Arguments = arguments.Length > ToolApproval.ArgumentsMaxLength ? arguments[..(ToolApproval.ArgumentsMaxLength - 1)] + "…" : arguments,
            ExpiresAt = DateTime.UtcNow + options.Value.ApprovalTimeout,
        };
        db.ToolApprovals.Add(approval);
        await db.SaveChangesAsync();
        db.Entry(approval).State = EntityState.Detached;
        return approval;
    }

    /// <summary>
    /// Waits until the call is decided or expires (then it is marked expired). Cancelled (Stop, the
    /// deadline): marked expired too, so a late decision is refused rather than lost.
    /// </summary>
    public async Task<ApprovalDecision> Wait(ToolApproval approval, CancellationToken cancel)
    {
        var wake = Decided.GetOrAdd(approval.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            while (true)
            {
                var decision = await db.ToolApprovals.Where(a => a.Id == approval.Id).Select(a => a.Decision).SingleAsync(CancellationToken.None);
                if (decision != ApprovalDecision.Waiting)
                    return decision;
                var left = approval.ExpiresAt - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    await Expire(approval.Id);
                    continue; // decided at the last moment, or now expired: read which
                }
                await Task.WhenAny(wake.Task, Task.Delay(left < Poll ? left : Poll, cancel));
                cancel.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            await Expire(approval.Id);
            throw;
        }
        finally
        {
            Decided.TryRemove(approval.Id, out _);
        }
    }

    /// <summary>The person who asked allows the call once, or denies it; only while it waits.</summary>
    public async Task<DecideResult> Decide(int roomId, long approvalId, string userId, bool allow)
    {
        var approval = await db.ToolApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == approvalId && a.RoomId == roomId);
        if (approval is null || !await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId))
            return DecideResult.NotFound;
        if (approval.AskerId != userId)
            return DecideResult.NotYours;
        var now = DateTime.UtcNow;
        var decided = await db.ToolApprovals
            .Where(a => a.Id == approvalId && a.Decision == ApprovalDecision.Waiting && a.ExpiresAt > now)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Decision, allow ? ApprovalDecision.Allowed : ApprovalDecision.Denied).SetProperty(x => x.DecidedAt, now));
        if (decided == 0)
            return DecideResult.Over;
        if (Decided.TryGetValue(approvalId, out var wake))
            wake.TrySetResult();
        return DecideResult.Done;
    }

    /// <summary>The call, for a member of its room.</summary>
    public async Task<ToolApproval?> Find(int roomId, long approvalId, string userId) =>
        await db.ToolApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == approvalId && a.RoomId == roomId
            && db.RoomMembers.Any(m => m.RoomId == roomId && m.UserId == userId));

    /// <summary>The calls of a reply still waiting from an earlier run of it (its worker died): they expire, and a late decision is refused.</summary>
    public async Task Abandoned(long replyId) =>
        await db.ToolApprovals.Where(a => a.AgentReplyId == replyId && a.Decision == ApprovalDecision.Waiting)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Decision, ApprovalDecision.Expired).SetProperty(x => x.DecidedAt, DateTime.UtcNow));

    private async Task Expire(long approvalId) =>
        await db.ToolApprovals.Where(a => a.Id == approvalId && a.Decision == ApprovalDecision.Waiting)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Decision, ApprovalDecision.Expired).SetProperty(x => x.DecidedAt, DateTime.UtcNow), CancellationToken.None);
}
