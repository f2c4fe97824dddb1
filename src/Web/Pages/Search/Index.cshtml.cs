using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Search;

/// <summary><c>/search?q=…</c>, optionally within one room (<c>room=</c>) and before a result (<c>before=</c>, the next page).</summary>
public class IndexModel(Searching searching, AppDbContext db, RequestLimits limits) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "room")]
    public int? RoomId { get; set; }

    /// <summary>The room searched in, when the person is in it.</summary>
    public string? RoomName { get; private set; }

    public SearchResults Results { get; private set; } = SearchResults.None;
    public bool Searched { get; private set; }
    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? before)
    {
        Response.Headers.CacheControl = "no-store";
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (RoomId is { } roomId)
        {
            RoomName = await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId).Select(m => m.Room!.Name)
                .FirstOrDefaultAsync(HttpContext.RequestAborted);
            if (RoomName is null)
                return NotFound();
        }
        var query = SearchQuery.Parse(Query);
        if (query.IsEmpty)
            return Page();
        if (!limits.Allow(Limit.Search, userId))
        {
            Refused = RequestLimits.TryLater;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        Searched = true;
        Results = await searching.Run(userId, query, RoomId, before, HttpContext.RequestAborted);
        return Page();
    }

    public string OlderLink(long olderThan) => Paths.Search + QueryString.Create(new KeyValuePair<string, string?>[]
    {
        new("q", Query), new("room", RoomId?.ToString()), new("before", olderThan.ToString()),
    }.Where(p => p.Value is not null)).ToUriComponent();
}
