using System.Security.Claims;
using System.Text.RegularExpressions;
using AgentRooms.Data;
using AgentRooms.Web.Pages.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Export;

/// <summary><c>/rooms/{id}/export</c>: the room's owner downloads the room as a zip (<see cref="RoomExport"/>); a link in its settings.</summary>
public partial class RoomModel(AppDbContext db, RoomExport export) : PageModel
{
    public async Task<IActionResult> OnGetAsync([FromRoute] int id)
    {
        if (await RoomAccess.Find(db, id, User.FindFirstValue(ClaimTypes.NameIdentifier)!) is not { Member: { } member } access)
            return NotFound();
        if (!member.CanChangeRoles)
            return StatusCode(StatusCodes.Status403Forbidden);
        var zip = await export.Write(access.Room, HttpContext.RequestAborted);
        var name = Unsafe().Replace(access.Room.Name.ToLowerInvariant(), "-").Trim('-');
        return File(zip, "application/zip", $"{(name.Length > 0 ? name : "room")}-{DateTime.UtcNow:yyyy-MM-dd}.zip");
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Unsafe();
}
