using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Knowledge;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Private;

/// <summary>Who is asked privately, or why no one can be.</summary>
public sealed record PrivateQuestion(Agent? Agent, string Question, string? Refusal, int Status);

/// <summary>
/// "Ask privately": a member asks one of the room's agents, and only they see the question and the answer.
/// The agent is given the room as for any reply (<see cref="ReplyContext"/>) and may search it
/// (<see cref="RoomKnowledge"/>, as the asker could), but is offered no tool that acts; nothing is posted,
/// pushed or kept in the room. It runs in the asker's request, streaming to them, and what it used counts
/// against their budget and the agent's (a <see cref="PrivateAnswer"/>).
/// </summary>
public sealed class PrivateAsking(
    AppDbContext db, ModelClient model, ReplyContext contexts, RoomKnowledge knowledge, Budgets budgets, TokenCounter tokens, IOptions<AgentOptions> options)
{
    /// <summary>The agent the question mentions, among those in the room, once the site and budgets allow asking it.</summary>
    public async Task<PrivateQuestion> Check(int roomId, string askerId, string? text, CancellationToken cancel)
    {
        var question = text?.Trim() ?? "";
        if (question.Length == 0)
            return new(null, question, "Write your question first, mentioning the agent to ask.", StatusCodes.Status422UnprocessableEntity);
        if (question.Length > Message.ContentMaxLength)
            return new(null, question, $"A question is at most {Message.ContentMaxLength:N0} characters.", StatusCodes.Status422UnprocessableEntity);
        var handles = Messages.Mentions.Handles(question);
        var agents = await db.RoomAgents.Where(ra => ra.RoomId == roomId && ra.Agent!.DeletedAt == null && handles.Contains(ra.Handle)
                && db.RoomMembers.Any(m => m.RoomId == roomId && m.UserId == ra.AddedById))
            .Select(ra => ra.Agent!).AsNoTracking().ToListAsync(cancel);
        if (agents.Count != 1)
            return new(null, question, agents.Count == 0
                ? "Mention one of the room's agents to ask it privately, such as @" + (await AnyHandle(roomId, cancel) ?? "agent") + "."
                : "Ask one agent at a time privately.", StatusCodes.Status422UnprocessableEntity);
        var agent = agents[0];
        var refusal = !model.IsConfigured ? AgentResponder.NotConfigured
            : !options.Value.Allows(agent.Model) ? $"This site does not offer the model {agent.Model}, so {agent.Name} can't answer."
            : await budgets.Refusal(askerId, agent, cancel);
        return refusal is null ? new(agent, question, null, StatusCodes.Status200OK) : new(agent, question, refusal, StatusCodes.Status429TooManyRequests);
    }

    private async Task<string?> AnyHandle(int roomId, CancellationToken cancel) =>
        await db.RoomAgents.Where(ra => ra.RoomId == roomId && ra.Agent!.DeletedAt == null).OrderBy(ra => ra.AddedAt).Select(ra => ra.Agent!.Handle).FirstOrDefaultAsync(cancel);

    /// <summary>
    /// Asks the agent, handing each piece of text to <paramref name="onText"/> as it comes, and keeps the
    /// answer and its cost. A person who leaves stops it; what the model used still counts.
    /// </summary>
    public async Task<PrivateAnswer> Answer(int roomId, string askerId, string askerName, Agent agent, string question, Func<string, Task> onText,
        CancellationToken cancel)
    {
        var settings = options.Value;
        // The question is no message of the room: it goes after all of them, as the one the agent answers.
        var asking = new Message { RoomId = roomId, Seq = long.MaxValue, SenderUserId = askerId, Content = question };
        var context = await contexts.For(asking, agent);
        context.Add(new ChatMessage(ChatRole.User, question) { AuthorName = ReplyContext.ParticipantName(askerName) });
        ToolRun? tools = null;
        if (contexts.KnowledgeRoom > 0 && await knowledge.Worth(roomId, contexts.ReachesStart, contexts.Scope, cancel))
        {
            if (settings.MaxToolCalls > 0 && settings.CallsTools(agent.Model))
            {
                tools = new ToolRun([], knowledge.Tools(roomId, askerId, contexts.Shown, contexts.Scope), settings.MaxToolCalls, settings.MaxToolResultCharacters,
                    _ => Task.CompletedTask);
                ReplyContext.OfferTools(context, RoomKnowledge.Instructions);
            }
            else if (await knowledge.Passages(roomId, askerId, question, contexts.Shown, contexts.Scope, contexts.KnowledgeRoom * 3, cancel) is ({ } passages, var count))
                contexts.AddBeforeAsking(context, passages, count);
        }

        var modelName = string.IsNullOrWhiteSpace(agent.Model) ? settings.Model! : agent.Model;
        var answer = new PrivateAnswer { RoomId = roomId, AskerId = askerId, AgentId = agent.Id, Question = question, UsageModel = modelName };
        var text = new StringBuilder();
        UsageDetails? usage = null;
        using var deadline = new CancellationTokenSource(settings.Deadline);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        try
        {
            await foreach (var update in model.Stream(context, agent.Model, settings.ReplyTokensFor(agent.Model), tools, stop.Token))
            {
                foreach (var content in update.Contents)
                    if (content is UsageContent reported)
                        (usage ??= new UsageDetails()).Add(reported.Details);
                var piece = update.Text;
                if (piece.Length == 0)
                    continue;
                if (text.Length + piece.Length > settings.MaxReplyCharacters)
                    piece = piece[..Math.Max(0, settings.MaxReplyCharacters - text.Length)];
                text.Append(piece);
                await onText(piece);
                if (text.Length >= settings.MaxReplyCharacters)
                    break;
            }
            answer.Answer = text.Length > 0 ? knowledge.Cite(text.ToString()) : "The model sent back an empty answer.";
            answer.Failed = text.Length == 0;
        }
        catch (Exception error) when (error is OperationCanceledException or HttpRequestException or IOException or System.ClientModel.ClientResultException)
        {
            answer.Failed = true;
            answer.Answer = cancel.IsCancellationRequested ? "(you left before the answer was done)"
                : deadline.IsCancellationRequested ? $"Sorry, I couldn't answer: it took longer than {settings.Deadline.TotalSeconds:0} seconds."
                : "Sorry, I couldn't answer: the model could not be reached.";
        }
        if (usage is { InputTokenCount: { } input, OutputTokenCount: { } output })
            (answer.InputTokens, answer.OutputTokens) = ((int)Math.Min(int.MaxValue, input), (int)Math.Min(int.MaxValue, output));
        else if (usage is not null || text.Length > 0)
        {
            answer.InputTokens = tokens.Count(modelName, context.Select(m => m.Text));
            answer.OutputTokens = tokens.Count(modelName, text.ToString());
            answer.TokensEstimated = true;
        }
        db.PrivateAnswers.Add(answer);
        await db.SaveChangesAsync(CancellationToken.None);
        return answer;
    }
}
