using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Reactions;

/// <summary>One reaction on a message as everyone sees it: its text and who gave it, first giver first.</summary>
public sealed record ReactionShown(string Text, IReadOnlyList<string> UserIds, IReadOnlyList<string> Names)
{
    public int Count => UserIds.Count;

    /// <summary>The reactions of each of <paramref name="messageIds"/> that has any, in the order they were first given.</summary>
    public static async Task<Dictionary<long, IReadOnlyList<ReactionShown>>> Of(AppDbContext db, IReadOnlyCollection<long> messageIds, CancellationToken cancel = default)
    {
        if (messageIds.Count == 0)
            return [];
        var rows = await db.Reactions.Where(r => messageIds.Contains(r.MessageId)).OrderBy(r => r.CreatedAt)
            .Select(r => new { r.MessageId, r.Text, r.UserId, r.User!.DisplayName }).AsNoTracking().ToListAsync(cancel);
        return rows.GroupBy(r => r.MessageId).ToDictionary(
            message => message.Key,
            message => (IReadOnlyList<ReactionShown>)message.GroupBy(r => r.Text, StringComparer.Ordinal)
                .Select(r => new ReactionShown(r.Key, r.Select(x => x.UserId).ToList(), r.Select(x => x.DisplayName).ToList())).ToList());
    }
}
