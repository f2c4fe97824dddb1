using System.Globalization;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Daily token budgets, counted per UTC day from the replies' recorded usage: a person's
/// (<c>AI:DailyTokensPerPerson</c>) and an agent's (set by its owner). Over one, a mention gets a
/// refusal at once and the model is not asked.
/// </summary>
public sealed class Budgets(AppDbContext db, IOptions<AgentOptions> options)
{
    public static DateTime DayStart(DateTime now) => now.Date;

    /// <summary>Why the reply (or, with no agent, the summary) may not be made, or null when the budgets have room.</summary>
    public async Task<string?> Refusal(string? personId, Agent? agent, CancellationToken cancel = default)
    {
        var now = DateTime.UtcNow;
        var since = DayStart(now);
        var resets = $"It resets at midnight UTC, in {Until(now.Date.AddDays(1) - now)}.";
        if (options.Value.DailyTokensPerPerson is { } personal && personId is not null && await UsedToday(personId, cancel) >= personal)
            return $"{(agent is null ? "No summary" : "I can't answer")}: you've used today's {Number(personal)} tokens, the most anyone here may use in a day. {resets}";
        if (agent?.DailyTokenLimit is { } limit && (await db.AgentReplies.Where(r => r.AgentId == agent.Id && r.CreatedAt >= since)
                .SumAsync(r => (long?)(r.InputTokens + r.OutputTokens + r.ReservedTokens), cancel) ?? 0)
            + (await db.PrivateAnswers.Where(a => a.AgentId == agent.Id && a.CreatedAt >= since).SumAsync(a => (long?)(a.InputTokens + a.OutputTokens), cancel) ?? 0) >= limit)
            return $"I can't answer: I've used today's {Number(limit)} tokens, the daily limit my owner set. {resets}";
        return null;
    }

    /// <summary>
    /// For a reply about to ask the model: refused as <see cref="Refusal"/> says (a budget is spent), or else
    /// <paramref name="estimate"/> tokens (what it sends and the most it may write) are set aside on the
    /// reply and count as used until it ends. Budgets are checked and reserved one reply at a time (every
    /// node), so mentions sent at once are admitted as they would be one after another: while anything is
    /// left, counting what each running reply may still spend.
    /// </summary>
    public async Task<string?> Reserve(AgentReply reply, Agent agent, int estimate, CancellationToken cancel = default)
    {
        if ((options.Value.DailyTokensPerPerson is null || reply.StartedById is null) && agent.DailyTokenLimit is null)
            return null;
        await using var oneAtATime = await NamedLock.Take(db, "agentrooms-budgets", cancel: cancel);
        if (await Refusal(reply.StartedById, agent, cancel) is { } refusal)
            return refusal;
        reply.ReservedTokens = Math.Max(0, estimate);
        await db.AgentReplies.Where(r => r.Id == reply.Id).ExecuteUpdateAsync(r => r.SetProperty(x => x.ReservedTokens, reply.ReservedTokens), cancel);
        return null;
    }

    /// <summary>Tokens the replies <paramref name="personId"/> set off (those running: what is set aside for them), the summaries they asked for and their private answers have used today (UTC).</summary>
    public async Task<long> UsedToday(string personId, CancellationToken cancel = default)
    {
        var since = DayStart(DateTime.UtcNow);
        return (await db.AgentReplies.Where(r => r.StartedById == personId && r.CreatedAt >= since)
                   .SumAsync(r => (long?)(r.InputTokens + r.OutputTokens + r.ReservedTokens), cancel) ?? 0)
               + (await db.Summaries.Where(s => s.UserId == personId && s.CreatedAt >= since)
                   .SumAsync(s => (long?)(s.InputTokens + s.OutputTokens), cancel) ?? 0)
               + (await db.PrivateAnswers.Where(a => a.AskerId == personId && a.CreatedAt >= since)
                   .SumAsync(a => (long?)(a.InputTokens + a.OutputTokens), cancel) ?? 0);
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Until(TimeSpan left) => left.TotalHours >= 1
        ? $"{(int)left.TotalHours} h {left.Minutes} min"
        : $"{Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min";
}
