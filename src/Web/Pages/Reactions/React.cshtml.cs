using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Reactions;

/// <summary>
/// <c>POST /rooms/{roomId}/messages/{messageId}/reactions</c>: <c>text</c> (a palette button) or
/// <c>custom</c> (typed), and <c>on</c> (true adds, false removes). The room page's script posts here
/// and hears the result on its socket (204); without it, the page comes back to the room at the message.
/// </summary>
public class ReactModel(AppDbContext db, Reacting reacting, RequestLimits limits) : PageModel
{
    [FromRoute] public int RoomId { get; set; }
    [FromRoute] public long MessageId { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => Redirect(Paths.Message(RoomId, MessageId));

    public async Task<IActionResult> OnPostAsync([FromForm] string? text, [FromForm] string? custom, [FromForm] bool on = true)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (await RoomAccess.Find(db, RoomId, userId) is not { IsMember: true })
            return NotFound();
        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == MessageId && m.RoomId == RoomId);
        if (message is null || message.Kind == MessageKind.System)
            return NotFound();
        if (message.IsDeleted)
            return Refuse(StatusCodes.Status409Conflict, "That message was deleted.");
        var (reaction, invalid) = Reacting.Read(string.IsNullOrWhiteSpace(text) ? custom : text);
        if (reaction is null)
            return Refuse(StatusCodes.Status422UnprocessableEntity, invalid!);
        if (!limits.Allow(Limit.Reaction, userId))
            return Refuse(StatusCodes.Status429TooManyRequests, RequestLimits.TryLater);
        if (await reacting.Set(message, userId, reaction, on, HttpContext.RequestAborted) is { } refused)
            return Refuse(StatusCodes.Status422UnprocessableEntity, refused);
        return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.MessageInRoom(RoomId, MessageId));
    }

    /// <summary>The script shows the text beside the palette; a page without it says the same, with the way back.</summary>
    private IActionResult Refuse(int status, string error)
    {
        Response.StatusCode = status;
        if (Request.IsHtmx())
            return Content(error, "text/plain; charset=utf-8");
        Error = error;
        return Page();
    }
}
