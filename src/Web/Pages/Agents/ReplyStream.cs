using System.ClientModel;
using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Tools;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>How a reply ended: the text to save as the agent's message, its state, and what the reply records.</summary>
public sealed record ReplyOutcome(string Content, ReplyState State, AgentReplyStatus Status, string? Error)
{
    /// <summary>A failure, said in the room, with whatever the model had said before it.</summary>
    public static ReplyOutcome Failed(StringBuilder partial, string reason) =>
        new($"Sorry, I couldn't answer: {reason}." + (partial.Length > 0 ? $"\n\n{partial}" : ""), ReplyState.Failed, AgentReplyStatus.Failed, reason);
}

/// <summary>
/// One reply's conversation with the model: the streamed call (retried once when it fails before a
/// word), the text pushed to the room as it comes, the length cap, Stop and the deadline, and the
/// tokens counted. It ends in a <see cref="ReplyOutcome"/>; <see cref="AgentResponder"/> saves it.
/// </summary>
public sealed class ReplyStream(
    AppDbContext db, ReplyClaim claim, ModelClient model, ReplyFeed feed, TokenCounter tokens, AppMetrics metrics, IOptions<AgentOptions> options, ILogger<ReplyStream> logger)
{
    public const int MaxAttempts = 2;

    /// <summary>
    /// Asks the model and streams its answer into the room (the text so far kept with the reply, each
    /// piece pushed), at most <see cref="MaxAttempts"/> times while nothing was said yet; what the calls
    /// used is added to the reply. Returns how it ended, for the reply to be saved with.
    /// </summary>
    public async Task<ReplyOutcome> Run(AgentReply reply, Agent agent, IList<ChatMessage> context, ToolRun? tools, CancellationToken stop, CancellationToken jobCancel)
    {
        using var deadline = new CancellationTokenSource(options.Value.Deadline);
        var endsAt = DateTime.UtcNow + options.Value.Deadline;
        if (tools is not null)
            tools.Waiting = () =>
            {
                // Waiting for a person is not the model's time: the deadline stands still until the wait ends.
                var left = endsAt - DateTime.UtcNow;
                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                return new Resume(() =>
                {
                    endsAt = DateTime.UtcNow + left;
                    deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                });
            };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token, jobCancel);
        var text = new StringBuilder();
        var cap = options.Value.MaxReplyCharacters;
        var modelName = string.IsNullOrWhiteSpace(agent.Model) ? options.Value.Model! : agent.Model;
        reply.UsageModel = modelName;
        for (var attempt = 1; ; attempt++)
        {
            ChatFinishReason? finish = null;
            UsageDetails? usage = null; // what the model says its calls used (each call's last chunk), if it says
            logger.LogInformation("Reply {ReplyId}: asking the model, attempt {Attempt}", reply.Id, attempt);
            try
            {
                var lastShown = DateTime.MinValue;
                var shown = 0;
                await foreach (var update in model.Stream(context, agent.Model, options.Value.ReplyTokensFor(agent.Model), tools, cancel.Token))
                {
                    finish = update.FinishReason ?? finish;
                    foreach (var content in update.Contents)
                        if (content is UsageContent reported)
                            (usage ??= new UsageDetails()).Add(reported.Details);
                    if (text.Length == 0 && update.Text.Length > 0 && reply.StartedAt is { } started)
                        metrics.FirstToken(DateTime.UtcNow - started);
                    if (Append(text, update.Text, cap))
                    {
                        // The cap is reached: leaving the loop ends the call; the reply is saved as truncated.
                        finish = ChatFinishReason.Length;
                        break;
                    }
                    if (DateTime.UtcNow - lastShown >= options.Value.StreamInterval && text.Length > shown)
                    {
                        lastShown = DateTime.UtcNow;
                        await KeepSoFar(reply, text); // first, so a page that sees this push can also read it
                        await feed.Progress(reply, shown, text.ToString(shown, text.Length - shown));
                        shown = text.Length;
                    }
                }
                var complete = finish == ChatFinishReason.Stop || finish == ChatFinishReason.ToolCalls;
                if (text.Length == 0)
                {
                    Count(reply, context, text, usage);
                    return new ReplyOutcome("The model sent back an empty reply.", ReplyState.Failed, AgentReplyStatus.Failed, "empty reply");
                }
                Count(reply, context, text, usage);
                return new ReplyOutcome(text.ToString(), complete ? ReplyState.Done : ReplyState.Truncated,
                    AgentReplyStatus.Done, complete ? null : $"truncated ({finish?.Value ?? "no finish reason"})");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Count(reply, context, text, usage);
                return new ReplyOutcome(text.Length > 0 ? text.ToString() : "(stopped before saying anything)",
                    ReplyState.Stopped, AgentReplyStatus.Stopped, "stopped");
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                Count(reply, context, text, usage);
                return ReplyOutcome.Failed(text, $"it took longer than {options.Value.Deadline.TotalSeconds:0} seconds");
            }
            catch (ClientResultException error) when (error.Status is >= 400 and < 500)
            {
                Count(reply, context, text, usage);
                return ReplyOutcome.Failed(text, Reason(error));
            }
            catch (Exception error) when (error is ClientResultException or HttpRequestException or IOException
                                              || error is OperationCanceledException && !jobCancel.IsCancellationRequested)
            {
                if (attempt < MaxAttempts && text.Length == 0 && tools is not { Steps.Count: > 0 })
                {
                    await db.AgentReplies.Where(r => r.Id == reply.Id).ExecuteUpdateAsync(r => r.SetProperty(x => x.Attempts, x => x.Attempts + 1));
                    logger.LogWarning(error, "Reply {ReplyId}: attempt {Attempt} failed, trying once more", reply.Id, attempt);
                    continue;
                }
                Count(reply, context, text, usage);
                return ReplyOutcome.Failed(text, error is ClientResultException result ? Reason(result) : "the model could not be reached");
            }
        }
    }

    /// <summary>
    /// Adds this call's tokens to the reply: as the model reported them, or counted here from what was
    /// sent and what came back (<see cref="TokenCounter"/>). A call that failed before any answer still read its input.
    /// </summary>
    private void Count(AgentReply reply, IList<ChatMessage> context, StringBuilder answer, UsageDetails? usage)
    {
        if (usage is null && answer.Length == 0)
            return; // the model was never reached, or said nothing: nothing to count
        var (inputBefore, outputBefore) = (reply.InputTokens, reply.OutputTokens);
        if (usage is { InputTokenCount: { } input, OutputTokenCount: { } output })
        {
            reply.InputTokens += (int)Math.Min(int.MaxValue, input);
            reply.OutputTokens += (int)Math.Min(int.MaxValue, output);
        }
        else
        {
            reply.InputTokens += tokens.Count(reply.UsageModel, context.Select(m => m.Text));
            reply.OutputTokens += tokens.Count(reply.UsageModel, answer.ToString());
            reply.TokensEstimated = true;
        }
        metrics.Used(reply.InputTokens - inputBefore, reply.OutputTokens - outputBefore);
    }

    /// <summary>
    /// Keeps the text so far with the reply, for pages opened mid-stream; a failure here costs only that.
    /// A reply no longer running since this worker's claim was handed to another (this worker was
    /// thought dead): it stops here, so its text does not reach pages beside the other's.
    /// </summary>
    private async Task KeepSoFar(AgentReply reply, StringBuilder text)
    {
        try
        {
            await claim.KeepText(reply, text.ToString());
        }
        catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogDebug(exception, "Reply {ReplyId}: the text so far was not kept", reply.Id);
        }
    }

    private sealed class Resume(Action resume) : IDisposable
    {
        public void Dispose() => resume();
    }

    /// <summary>Adds what the model sent, up to the cap (never splitting a surrogate pair); true when the cap is reached.</summary>
    private static bool Append(StringBuilder text, string added, int cap)
    {
        var room = cap - text.Length;
        if (added.Length <= room)
        {
            text.Append(added);
            return false;
        }
        var take = room > 0 && char.IsHighSurrogate(added[room - 1]) ? room - 1 : room;
        text.Append(added, 0, Math.Max(0, take));
        return true;
    }

    private static string Reason(ClientResultException error) => error.Status switch
    {
        401 or 403 => $"the model refused the key ({error.Status})",
        404 => "the model or endpoint was not found (404)",
        429 => "the model is rate limiting us (429)",
        >= 500 => $"the model failed ({error.Status})",
        _ => $"the model rejected the request ({error.Status})",
    };
}
