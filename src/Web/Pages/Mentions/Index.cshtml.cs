using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Search;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Mentions;

/// <summary>
/// <c>/mentions</c>: the messages that mention the person or quote them, newest first, from the rooms
/// they are in now (a deleted message drops out). Those they have not read yet say so.
/// </summary>
public class IndexModel(AppDbContext db, MarkdownRenderer markdown) : PageModel
{
    public const int PageSize = 30;

    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];
    public IReadOnlySet<long> Unread { get; private set; } = new HashSet<long>();
    public long? OlderThan { get; private set; }

    public async Task OnGetAsync(long? before)
    {
        Response.Headers.CacheControl = "no-store";
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var cancel = HttpContext.RequestAborted;
        var rows = await (from p in db.PersonMentions
                          where p.UserId == me && p.Message!.DeletedAt == null && (before == null || p.MessageId < before)
                          from m in db.RoomMembers
                          where m.RoomId == p.RoomId && m.UserId == me
                          orderby p.MessageId descending
                          select new { p.MessageId, Unread = p.Seq > m.LastReadSeq })
            .Take(PageSize + 1).AsNoTracking().ToListAsync(cancel);
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            OlderThan = rows[^1].MessageId;
        }
        Hits = await SearchHit.Load(db, markdown, rows.Select(r => r.MessageId).ToList(), [], cancel);
        Unread = rows.Where(r => r.Unread).Select(r => r.MessageId).ToHashSet();
    }

    public static string OlderLink(long olderThan) => $"{Paths.Mentions}?before={olderThan}";
}
