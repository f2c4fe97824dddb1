using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Search;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Saved;

/// <summary>
/// <c>/saved</c>: the messages a person saved for later, newest save first, from the rooms they are in now
/// (a deleted message drops out). "Save" and "Unsave" post here: from the room in place (room.js), from
/// the message's page, or from this list. Nobody else learns what someone saved.
/// </summary>
public class IndexModel(AppDbContext db, MarkdownRenderer markdown) : PageModel
{
    public const int Most = 200;

    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task OnGetAsync()
    {
        Response.Headers.CacheControl = "no-store";
        var ids = await db.SavedMessages
            .Where(s => s.UserId == UserId && s.Message!.DeletedAt == null && db.RoomMembers.Any(m => m.RoomId == s.Message.RoomId && m.UserId == UserId))
            .OrderByDescending(s => s.SavedAt).Select(s => s.MessageId).Take(Most).ToListAsync();
        Hits = await SearchHit.Load(db, markdown, ids, [], HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync(long messageId, bool saved, string? back)
    {
        var message = await db.Messages.Where(m => m.Id == messageId && m.DeletedAt == null && m.Kind != MessageKind.System
                && db.RoomMembers.Any(r => r.RoomId == m.RoomId && r.UserId == UserId))
            .Select(m => new { m.Id, m.RoomId }).FirstOrDefaultAsync();
        if (message is null)
            return NotFound();
        if (!saved)
            await db.SavedMessages.Where(s => s.UserId == UserId && s.MessageId == messageId).ExecuteDeleteAsync();
        else if (!await db.SavedMessages.AnyAsync(s => s.UserId == UserId && s.MessageId == messageId))
        {
            db.SavedMessages.Add(new SavedMessage { UserId = UserId, MessageId = messageId });
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                // Saved twice at once (two tabs): it is saved.
            }
        }
        if (Request.IsHtmx())
            return StatusCode(StatusCodes.Status204NoContent);
        return Redirect(back == "list" ? Paths.Saved : Paths.Message(message.RoomId, message.Id));
    }
}
