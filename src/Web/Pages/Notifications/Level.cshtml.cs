using Htmx;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Notifications;

/// <summary><c>POST /rooms/{id}/notifications</c>: what of this room reaches the member while away (<c>level</c>).</summary>
public class LevelModel(AppDbContext db) : PageModel
{
    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostAsync([FromRoute] int id, [FromForm] string? level)
    {
        if (!Enum.TryParse<NotifyLevel>(level, ignoreCase: false, out var chosen) || !Enum.IsDefined(chosen))
            return BadRequest();
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var changed = await db.RoomMembers.Where(m => m.RoomId == id && m.UserId == userId)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Notify, chosen));
        if (changed == 0)
            return NotFound();
        if (Request.IsHtmx())
            return Content("Saved.", "text/plain"); // beside the choice, which saved itself
        TempData["Notice"] = $"Notifications for this {(await db.Rooms.Where(r => r.Id == id).Select(r => r.Kind).SingleAsync() == RoomKind.Direct ? "conversation" : "room")}: {NotifyLevels.Text(chosen)}.";
        return Redirect(Paths.Room(id) + "#notify-level");
    }
}

public static class NotifyLevels
{
    public static readonly NotifyLevel[] InOrder = [NotifyLevel.All, NotifyLevel.Mentions, NotifyLevel.Nothing];

    public static string Text(NotifyLevel level) => level switch
    {
        NotifyLevel.All => "All messages",
        NotifyLevel.Nothing => "Nothing",
        _ => "Mentions and direct messages",
    };
}

/// <summary>The form in a room's details.</summary>
public sealed record NotifyLevelModel(int RoomId, NotifyLevel Level);
