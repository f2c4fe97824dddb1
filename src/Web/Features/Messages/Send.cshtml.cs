using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Messages;

/// <summary>
/// The composer posts here. Sent: the page's script gets 204 (the message itself arrives over the
/// room's socket), a plain form the room at the new message. Not sent: the draft comes back with the
/// reason (the composer again, or without JavaScript this page), with a 4xx or 503 status.
/// </summary>
public class SendModel(AppDbContext db, MessageSending sending, RoomHistory history) : PageModel
{
    public ComposerModel Composer { get; private set; } = null!;
    public string RoomName { get; private set; } = "";

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostAsync([FromRoute] int id, [FromForm(Name = "Composer")] ComposerInput input)
    {
        var result = await sending.Send(id, UserId, input.Content, input.ClientMessageId, input.QuotedMessageId);
        if (result.Status == StatusCodes.Status404NotFound)
            return NotFound();
        if (result.Message is { } message)
            return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.RoomAt(id, message.Id));
        RoomName = await db.Rooms.Where(r => r.Id == id).Select(r => r.Name).SingleAsync();
        return await NotSent(id, input, result.Error!, result.Status);
    }

    private async Task<IActionResult> NotSent(int roomId, ComposerInput input, string error, int status)
    {
        Response.StatusCode = status;
        var quote = input.QuotedMessageId is { } quoted ? await history.QuoteOf(roomId, quoted) : null;
        Composer = new ComposerModel(roomId, input.Content ?? "", input.ClientMessageId, error, quote);
        return Request.IsHtmx() ? Partial("_Composer", Composer) : Page();
    }
}
