using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// <c>/usage</c>: the tokens agents used for a person's mentions over the last 30 days, by day, by agent
/// and by room, and today's use against their budget. The site administrator may see everyone's
/// (<c>?everyone=true</c>), by person too.
/// </summary>
public class UsageModel(AppDbContext db, Budgets budgets, IOptions<AgentOptions> options) : PageModel
{
    public const int Days = 30;

    public sealed record Row(string Name, int Replies, long Input, long Output)
    {
        public long Tokens => Input + Output;
    }

    [FromQuery] public bool Everyone { get; set; }

    public bool CanSeeEveryone => User.IsSiteAdmin();
    public IReadOnlyList<Row> ByDay { get; private set; } = [];
    public IReadOnlyList<Row> ByAgent { get; private set; } = [];
    public IReadOnlyList<Row> ByRoom { get; private set; } = [];
    public IReadOnlyList<Row> ByPerson { get; private set; } = [];
    public long UsedToday { get; private set; }
    public long? DailyBudget => options.Value.DailyTokensPerPerson;

    public async Task<IActionResult> OnGetAsync()
    {
        if (Everyone && !CanSeeEveryone)
            return NotFound();
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var since = Budgets.DayStart(DateTime.UtcNow).AddDays(1 - Days);
        var replies = db.AgentReplies.Where(r => r.CreatedAt >= since && r.InputTokens + r.OutputTokens > 0);
        if (!Everyone)
            replies = replies.Where(r => r.StartedById == userId);

        ByDay = (await replies.GroupBy(r => r.CreatedAt.Date)
                .Select(g => new { Day = g.Key, Replies = g.Count(), Input = g.Sum(r => (long)r.InputTokens), Output = g.Sum(r => (long)r.OutputTokens) })
                .ToListAsync())
            .OrderByDescending(d => d.Day).Select(d => new Row(d.Day.ToString("yyyy-MM-dd"), d.Replies, d.Input, d.Output)).ToList();
        ByAgent = (await replies.GroupBy(r => new { r.Agent!.Emoji, r.Agent.Name, r.AgentId })
                .Select(g => new { g.Key.Emoji, g.Key.Name, Replies = g.Count(), Input = g.Sum(r => (long)r.InputTokens), Output = g.Sum(r => (long)r.OutputTokens) })
                .ToListAsync())
            .Select(a => new Row($"{a.Emoji} {a.Name}", a.Replies, a.Input, a.Output)).OrderByDescending(r => r.Tokens).ToList();
        ByRoom = (await replies.GroupBy(r => new { r.TriggerMessage!.RoomId, r.TriggerMessage.Room!.Name, r.TriggerMessage.Room.Kind })
                .Select(g => new { g.Key.Name, g.Key.Kind, Replies = g.Count(), Input = g.Sum(r => (long)r.InputTokens), Output = g.Sum(r => (long)r.OutputTokens) })
                .ToListAsync())
            .Select(r => new Row(r.Kind == RoomKind.Direct ? $"Direct: {r.Name}" : r.Name, r.Replies, r.Input, r.Output)).OrderByDescending(r => r.Tokens).ToList();
        if (Everyone)
            ByPerson = (await replies.Where(r => r.StartedById != null)
                    .GroupBy(r => r.StartedById)
                    .Select(g => new { PersonId = g.Key, Replies = g.Count(), Input = g.Sum(r => (long)r.InputTokens), Output = g.Sum(r => (long)r.OutputTokens) })
                    .ToListAsync())
                .Join(await db.Users.Select(u => new { u.Id, u.DisplayName }).ToListAsync(), p => p.PersonId, u => u.Id,
                    (p, u) => new Row(u.DisplayName, p.Replies, p.Input, p.Output))
                .OrderByDescending(r => r.Tokens).ToList();
        // Summaries a person asked for ("Summarize unread") count as theirs: a line of their own by agent, and in each day, room and person.
        var summaries = db.Summaries.Where(x => x.UserId != null && x.CreatedAt >= since);
        if (!Everyone)
            summaries = summaries.Where(x => x.UserId == userId);
        var asked = await summaries.Select(x => new { x.CreatedAt, x.UserId, RoomName = x.Room!.Name, x.Room.Kind, x.InputTokens, x.OutputTokens })
            .ToListAsync();
        if (asked.Count > 0)
        {
            ByDay = Merge(ByDay, asked.Select(x => new Row(x.CreatedAt.ToString("yyyy-MM-dd"), 1, x.InputTokens, x.OutputTokens)))
                .OrderByDescending(r => r.Name, StringComparer.Ordinal).ToList();
            ByAgent = Merge(ByAgent, asked.Select(x => new Row("🧾 Summaries of unread", 1, x.InputTokens, x.OutputTokens)));
            ByRoom = Merge(ByRoom, asked.Select(x => new Row(x.Kind == RoomKind.Direct ? $"Direct: {x.RoomName}" : x.RoomName, 1, x.InputTokens, x.OutputTokens)));
            if (Everyone)
            {
                var names = await db.Users.Where(u => asked.Select(x => x.UserId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
                ByPerson = Merge(ByPerson, asked.Select(x => new Row(names.GetValueOrDefault(x.UserId!, "someone"), 1, x.InputTokens, x.OutputTokens)));
            }
        }
        UsedToday = await budgets.UsedToday(userId);
        return Page();
    }

    /// <summary>Rows of the same name added together, largest first.</summary>
    private static IReadOnlyList<Row> Merge(IEnumerable<Row> rows, IEnumerable<Row> more) =>
        rows.Concat(more).GroupBy(r => r.Name)
            .Select(g => new Row(g.Key, g.Sum(r => r.Replies), g.Sum(r => r.Input), g.Sum(r => r.Output)))
            .OrderByDescending(r => r.Tokens).ToList();
}
