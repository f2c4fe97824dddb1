using System.Globalization;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Features.Agents;

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
        if (options.Value.DailyTokensPerPerson is { } personal && personId is not null)
        {
            if (await UsedToday(personId, cancel) >= personal)
                return $"{(agent is null ? "No summary" : "I can't answer")}: you've used today's {Number(personal)} tokens, the most anyone here may use in a day. {resets}";
        }
        if (agent?.DailyTokenLimit is { } limit)
        {
            var used = await db.AgentReplies.Where(r => r.AgentId == agent.Id && r.CreatedAt >= since)
                .SumAsync(r => (long?)(r.InputTokens + r.OutputTokens), cancel) ?? 0;
            if (used >= limit)
                return $"I can't answer: I've used today's {Number(limit)} tokens, the daily limit my owner set. {resets}";
        }
        return null;
    }

    /// <summary>Tokens the replies <paramref name="personId"/> set off, and the summaries they asked for, have used today (UTC).</summary>
    public async Task<long> UsedToday(string personId, CancellationToken cancel = default)
    {
        var since = DayStart(DateTime.UtcNow);
        return (await db.AgentReplies.Where(r => r.StartedById == personId && r.CreatedAt >= since)
                   .SumAsync(r => (long?)(r.InputTokens + r.OutputTokens), cancel) ?? 0)
               + (await db.Summaries.Where(s => s.UserId == personId && s.CreatedAt >= since)
                   .SumAsync(s => (long?)(s.InputTokens + s.OutputTokens), cancel) ?? 0);
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Until(TimeSpan left) => left.TotalHours >= 1
        ? $"{(int)left.TotalHours} h {left.Minutes} min"
        : $"{Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min";
}
