using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Approvals;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Knowledge;
using AgentRooms.Web.Pages.Notes;
using AgentRooms.Web.Pages.Tools;
using AgentRooms.Web.Infrastructure;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Produces one agent's answer to one message: claims the reply (once, however often the job
/// runs), asks the model with the room's recent messages, streams the text into the room, and
/// saves the result as the agent's message. Every ending is visible: done, truncated, stopped or failed.
/// </summary>
public sealed class AgentResponder(
    AppDbContext db, ModelClient model, ReplyClaim claim, ReplyPosting posting, ReplyFeed feed, RunningReplies running, ReplyContext contexts, ReplyStream streaming,
    Budgets budgets, ToolServers toolServers, ToolRules toolRules, ToolApprovals approvals, RoomKnowledge knowledge, RoomNotes notes, AppMetrics metrics, IOptions<AgentOptions> options, ILogger<AgentResponder> logger)
{
    private const int FailurePreambleLength = 200;
    public const string NotConfigured =
        "No AI model is configured, so I can't answer yet. The site's administrator can set `AI:Endpoint`, `AI:ApiKey` and `AI:Model`.";

    /// <summary>One reply: the Hangfire job (ids only), or started at once by <see cref="ReplyWake"/>. Retries are this class's to decide, never Hangfire's hours later.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task Respond(long replyId, CancellationToken jobCancel)
    {
        if (!await claim.Claim(replyId, jobCancel))
        {
            logger.LogInformation("Reply {ReplyId}: not pending, this job leaves it", replyId);
            return; // Someone else has it, or it is finished.
        }
        logger.LogInformation("Reply {ReplyId}: claimed", replyId);

        try
        {
            await Produce(replyId, jobCancel);
        }
        catch (ReplyTakenOver)
        {
            // This worker was thought dead and another took the reply over; that one answers.
            logger.LogWarning("Reply {ReplyId} was taken over by another worker; this worker's answer is dropped", replyId);
        }
    }

    private async Task Produce(long replyId, CancellationToken jobCancel)
    {
        var reply = await db.AgentReplies.Include(r => r.TriggerMessage).Include(r => r.Agent).SingleAsync(r => r.Id == replyId, jobCancel);
        var trigger = reply.TriggerMessage!;
        var agent = reply.Agent!;
        if (!await StillWanted(reply, trigger, agent))
        {
            await Finish(reply, AgentReplyStatus.Skipped, "The message, the agent or its author left the room first.");
            await feed.Ended(reply);
            return;
        }
        if (await LostAccess(reply, trigger, agent))
        {
            await Answer(reply, agent, "I can't answer you any more: you no longer share a room with me, and my owner has not shared me.",
                ReplyState.Failed, AgentReplyStatus.Failed, "no access to the agent");
            return;
        }
        if (!model.IsConfigured)
        {
            await Answer(reply, agent, NotConfigured, ReplyState.Failed, AgentReplyStatus.Failed, "not configured");
            return;
        }
        if (!options.Value.Allows(agent.Model))
        {
            await Answer(reply, agent, $"I can't answer: this site does not offer the model `{agent.Model}`. My owner can choose another.",
                ReplyState.Failed, AgentReplyStatus.Failed, "model not allowed");
            return;
        }

        var context = await contexts.For(trigger, agent);
        var tools = await Tools(reply, trigger, agent, context, jobCancel);
        reply.ContextUsed = contexts.Used.Write(); // saved with the answer, for its "What this used"
        if (contexts.Unseen.Count > 0)
        {
            var unseen = string.Join(", ", contexts.Unseen);
            reply.Unseen = unseen.Length > AgentReply.UnseenMaxLength ? unseen[..(AgentReply.UnseenMaxLength - 1)] + "…" : unseen;
        }
        // Over a budget: said at once, and the model is not asked. Otherwise what it may cost is set aside.
        if (await budgets.Reserve(reply, agent, contexts.Estimate(agent, context, tools), jobCancel) is { } overBudget)
        {
            await Answer(reply, agent, overBudget, ReplyState.Failed, AgentReplyStatus.Failed, "over budget");
            return;
        }

        var stop = running.Begin(reply.Id);
        try
        {
            var outcome = await streaming.Run(reply, agent, context, tools, stop.Token, jobCancel);
            await Answer(reply, agent, knowledge.Cite(outcome.Content), outcome.State, outcome.Status, outcome.Error);
        }
        catch (OperationCanceledException) when (jobCancel.IsCancellationRequested)
        {
            logger.LogWarning("Reply {ReplyId}: the job was cancelled mid-reply", reply.Id);
            throw;
        }
        finally
        {
            running.End(reply.Id);
        }
    }

    /// <summary>
    /// The tools this reply may call: the room's knowledge (<see cref="RoomKnowledge"/>) when the room holds
    /// more than the context shows, and those the agent's owner chose (a tool server's that it offers now, and
    /// <c>room/remember</c>, <see cref="RoomNotes"/>), unless the room's owners turned those off. A model that calls no tools is given the passages that match
    /// the asking message instead. Each step is kept with the reply as it happens (a page opened mid-reply
    /// shows it) and pushed to the room. Those the site administrator marked wait for the person who asked (<see cref="ToolRules"/>).
    /// </summary>
    private async Task<ToolRun?> Tools(AgentReply reply, Message trigger, Agent agent, IList<ChatMessage> context, CancellationToken cancel)
    {
        var settings = options.Value;
        var callsTools = settings.MaxToolCalls > 0 && settings.CallsTools(agent.Model);
        IReadOnlyList<AIFunction> builtIn = [];
        if (contexts.KnowledgeRoom > 0 && (reply.StartedById ?? trigger.SenderUserId) is { } asker
            && await knowledge.Worth(trigger.RoomId, contexts.ReachesStart, contexts.Scope, cancel))
        {
            if (callsTools)
                builtIn = knowledge.Tools(trigger.RoomId, asker, contexts.Shown, contexts.Scope);
            else if (await knowledge.Passages(trigger.RoomId, asker, trigger.Content, contexts.Shown, contexts.Scope, contexts.KnowledgeRoom * 3, cancel)
                     is ({ } passages, var count))
                contexts.AddBeforeAsking(context, passages, count);
        }
        var knows = builtIn.Count > 0;
        IReadOnlyList<OfferedTool> offered = [];
        if (callsTools && agent.ToolList.Count > 0 && !await db.Rooms.AnyAsync(r => r.Id == trigger.RoomId && r.ToolsOff, cancel))
        {
            if (toolServers.Configured)
                offered = await toolServers.Offered(agent.ToolList, cancel);
            if (agent.ToolList.Contains(RoomNotes.RememberTool))
                builtIn = [.. builtIn, notes.Remember(trigger.RoomId, agent.Id)];
        }
        if (offered.Count == 0 && builtIn.Count == 0)
            return null;
        ReplyContext.OfferTools(context, knows ? RoomKnowledge.Instructions : null);
        var asking = new ToolAsking(approvals, await toolRules.NeedingApproval(offered, cancel), reply.Id, trigger.RoomId, reply.StartedById ?? trigger.SenderUserId);
        if (asking.Tools.Count > 0)
            await approvals.Abandoned(reply.Id); // a worker that died mid-wait left its question; this run asks again
        return new ToolRun(offered, builtIn, settings.MaxToolCalls, settings.MaxToolResultCharacters, async steps =>
        {
            reply.ToolSteps = ToolStep.Write(steps);
            await db.AgentReplies.Where(r => r.Id == reply.Id && r.Status == AgentReplyStatus.Running)
                .ExecuteUpdateAsync(r => r.SetProperty(x => x.ToolSteps, reply.ToolSteps), CancellationToken.None);
            await feed.Steps(reply, steps);
        }, asking);
    }

    /// <summary>
    /// The message stands, the agent is still in the room, and both the message's author and the
    /// person who brought the agent are still members (whoever left takes their agents' say with them).
    /// </summary>
    private async Task<bool> StillWanted(AgentReply reply, Message trigger, Agent agent) =>
        trigger.DeletedAt is null && !agent.IsDeleted
        && await db.RoomAgents.AnyAsync(ra => ra.RoomId == trigger.RoomId && ra.AgentId == agent.Id
            && db.RoomMembers.Any(m => m.RoomId == trigger.RoomId && m.UserId == ra.AddedById))
        && (trigger.SenderUserId is null || await db.RoomMembers.AnyAsync(m => m.RoomId == trigger.RoomId && m.UserId == trigger.SenderUserId))
        && (reply.StartedById is null || await db.RoomMembers.AnyAsync(m => m.RoomId == trigger.RoomId && m.UserId == reply.StartedById));

    /// <summary>In a direct conversation the person asking must still be allowed the agent (<see cref="AgentAccess.MayUse"/>), at every message.</summary>
    private async Task<bool> LostAccess(AgentReply reply, Message trigger, Agent agent) =>
        reply.StartedById is { } asker && await db.Rooms.AnyAsync(r => r.Id == trigger.RoomId && r.Kind == Data.Rooms.RoomKind.Direct)
        && !await db.MayUse(asker, agent.Id);

    private async Task Answer(AgentReply reply, Agent agent, string content, ReplyState state, AgentReplyStatus status, string? error)
    {
        var cap = options.Value.MaxReplyCharacters + FailurePreambleLength;
        if (content.Length > cap)
        {
            content = content[..(cap - 1)] + "…";
            if (state == ReplyState.Done)
                state = ReplyState.Truncated;
        }
        // Whoever asked may have left (or been removed) while the model answered: then nothing is posted.
        if (!await StillWanted(reply, reply.TriggerMessage!, agent))
        {
            await Finish(reply, AgentReplyStatus.Skipped, "The message, the agent or whoever asked left the room first.");
            await feed.Ended(reply);
            return;
        }
        // The reply's outcome is saved in the same transaction as its message: a crash leaves neither or both.
        Record(reply, status, error);
        await posting.Post(reply, agent, content, state);
        await feed.Ended(reply);
    }

    private async Task Finish(AgentReply reply, AgentReplyStatus status, string? error)
    {
        Record(reply, status, error);
        await db.SaveChangesAsync();
    }

    private void Record(AgentReply reply, AgentReplyStatus status, string? error)
    {
        metrics.Replied(status.ToString().ToLowerInvariant());
        reply.PartialText = null;
        db.Entry(reply).Property(r => r.PartialText).IsModified = true; // written behind the tracker while streaming
        reply.ReservedTokens = 0; // what it used is counted now
        db.Entry(reply).Property(r => r.ReservedTokens).IsModified = true;
        reply.Status = status;
        reply.Error = error?.Length > AgentReply.ErrorMaxLength ? error[..AgentReply.ErrorMaxLength] : error;
        reply.CompletedAt = DateTime.UtcNow;
    }
}
