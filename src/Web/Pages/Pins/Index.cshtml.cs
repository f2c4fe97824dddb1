using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Members;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Pins;

/// <summary>
/// <c>/rooms/{id}/pins</c>: the room's pinned messages as a page (the room's details show the same list),
/// and where Pin and Unpin post: room.js in place, the message's page without JavaScript.
/// </summary>
public class IndexModel(AppDbContext db, RoomPins pins) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Room Room { get; private set; } = null!;
    public IReadOnlyList<PinShown> Pins { get; private set; } = [];

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { } access)
            return NotFound();
        Room = access.Room;
        Pins = await pins.Of(Id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long messageId, bool pinned) => await pins.Set(Id, UserId, messageId, pinned) switch
    {
        PinResult.Done => Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.Message(Id, messageId)),
        PinResult.Forbidden => StatusCode(StatusCodes.Status403Forbidden),
        _ => NotFound(),
    };
}
