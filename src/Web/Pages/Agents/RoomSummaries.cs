using System.Collections.Concurrent;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// A long room's rolling summary, for its agents: when a reply's context could not reach back to the
/// room's beginning and at least <see cref="AgentOptions.SummarizeAfter"/> messages before it are not
/// yet summarised, a background job has the summary model fold the oldest of them into the summary
/// (as many as fit its window, one step at a time). Replies then carry the summary ahead of the
/// messages they can hold. Room owners and admins read it in the room's settings.
/// </summary>
public sealed class RoomSummaries(
    AppDbContext db, Summarizer summarizer, IBackgroundJobClient jobs, SummariesBeingWritten writing, IOptions<AgentOptions> options, ILogger<RoomSummaries> logger)
{
    public Task<Summary?> Of(int roomId, CancellationToken cancel = default) =>
        db.Summaries.Where(s => s.RoomId == roomId && s.Kind == SummaryKind.Room).OrderByDescending(s => s.UpToSeq)
            .AsNoTracking().FirstOrDefaultAsync(cancel);

    /// <summary>A context began at <paramref name="oldestSeq"/> without reaching back further: the summary catches up if it is far behind.</summary>
    public void Behind(int roomId, long summarizedUpTo, long oldestSeq)
    {
        if (options.Value.SummarizeAfter == 0 || oldestSeq - 1 - summarizedUpTo < options.Value.SummarizeAfter)
            return;
        try
        {
            jobs.Enqueue<RoomSummaryJob>(job => job.Run(roomId, oldestSeq - 1, CancellationToken.None));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Room {RoomId}: the summary could not be queued; the next reply asks again", roomId);
        }
    }

    /// <summary>Folds the oldest messages not yet summarised, up to <paramref name="upToSeq"/>, into the room's summary.</summary>
    public async Task Update(int roomId, long upToSeq, CancellationToken cancel)
    {
        if (!writing.Rooms.TryAdd(roomId, true))
            return;
        try
        {
            var summary = await db.Summaries.Where(s => s.RoomId == roomId && s.Kind == SummaryKind.Room).OrderByDescending(s => s.UpToSeq).FirstOrDefaultAsync(cancel);
            var from = summary?.UpToSeq ?? 0;
            if (upToSeq <= from)
                return;
            var window = options.Value.ContextTokensFor(summarizer.ModelName) - options.Value.SummaryMaxCharacters / 3 - 500
                         - (summary?.Text?.Length ?? 0) / 3;
            var lines = await summarizer.Lines(roomId, from, upToSeq, window, cancel, oldestFirst: true);
            if (lines.Count == 0)
                return;
            var done = await summarizer.Summarize(
                "You keep the running summary of a chat room for the AI agents that take part in it. Update the summary so far with " +
                "the messages below: who said what that matters, facts and decisions, questions still open. Keep names. Stay under 300 words.",
                lines, summary?.Text, cite: false, _ => Task.CompletedTask, cancel);
            if (done.Text.Length == 0 || done.Error is not null)
            {
                logger.LogWarning("Room {RoomId}: the summary was not updated ({Error})", roomId, done.Error ?? "empty");
                return;
            }
            if (summary is null)
            {
                summary = new Summary { RoomId = roomId, Kind = SummaryKind.Room, FromSeq = lines[0].Seq };
                db.Summaries.Add(summary);
            }
            summary.Text = done.Text;
            summary.UpToSeq = lines[^1].Seq;
            summary.InputTokens += done.InputTokens;
            summary.OutputTokens += done.OutputTokens;
            summary.UsageModel = done.Model;
            summary.TokensEstimated |= done.Estimated;
            summary.UpdatedAt = DateTime.UtcNow;
            await db.SaveChangesAsync(cancel);
            logger.LogInformation("Room {RoomId}: the summary now reaches message {Seq}", roomId, summary.UpToSeq);
        }
        finally
        {
            writing.Rooms.TryRemove(roomId, out _);
        }
    }
}

/// <summary>The rooms whose summary this node is writing now: one step at a time per room.</summary>
public sealed class SummariesBeingWritten
{
    public ConcurrentDictionary<int, bool> Rooms { get; } = new();
}

/// <summary>One step of a room's rolling summary. A failed step is not retried: the next reply that needs it asks again.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class RoomSummaryJob(RoomSummaries summaries)
{
    public Task Run(int roomId, long upToSeq, CancellationToken cancel) => summaries.Update(roomId, upToSeq, cancel);
}
