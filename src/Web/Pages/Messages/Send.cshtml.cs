using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// The composer posts here. Sent: the page's script gets 204 (the message itself arrives over the
/// room's socket), a plain form the room at the new message. Not sent: the draft comes back with the
/// reason (the composer again, or without JavaScript this page), with a 4xx or 503 status, and with
/// the files that were uploaded, still attached.
/// </summary>
/// <remarks>
/// The antiforgery token is checked by <see cref="ComposerPost"/>, not by the usual filter: that one
/// reads the whole form first, and with it every file, before anything is checked; and model
/// binding is kept from reading it too.
/// </remarks>
[IgnoreAntiforgeryToken]
[StreamedForm]
public class SendModel(AppDbContext db, MessagePosting sending, RoomHistory history, ComposerPost composerPost, MessageFiles files) : PageModel
{
    public ComposerModel Composer { get; private set; } = null!;
    public string RoomName { get; private set; } = "";

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostAsync([FromRoute] int id)
    {
        if (await composerPost.Read(HttpContext, id, UserId) is not { } read)
            return BadRequest();
        var input = read.Input;
        if (input.Privately)
            return RedirectPreserveMethod(Paths.AskPrivately(id)); // a plain form's private question: the browser posts it there
        var result = read.Error is { } unread
            ? SendResult.Refused(unread, read.Status)
            : await sending.Send(id, UserId, input.Content, input.ClientMessageId, input.QuotedMessageId, input.Files);
        if (result.Status == StatusCodes.Status404NotFound)
            return NotFound();
        if (result.Message is { } message)
            return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.RoomAt(id, message.Id));
        if (await db.Rooms.Where(r => r.Id == id).Select(r => r.Name).FirstOrDefaultAsync() is not { } roomName)
            return NotFound();
        RoomName = roomName;
        return await NotSent(id, input, result.Error!, result.Status);
    }

    private async Task<IActionResult> NotSent(int roomId, ComposerInput input, string error, int status)
    {
        Response.StatusCode = status;
        var quote = input.QuotedMessageId is { } quoted ? await history.QuoteOf(roomId, quoted) : null;
        var pending = await files.Pending(roomId, UserId, input.Files);
        Composer = new ComposerModel(roomId, input.Content ?? "", input.ClientMessageId, error, quote, pending) { MaxFileBytes = files.MaxFileBytes };
        return Request.IsHtmx() ? Partial("_Composer", Composer) : Page();
    }
}
