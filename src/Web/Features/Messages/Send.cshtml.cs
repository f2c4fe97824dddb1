using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Features.Members;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Features.Messages;

/// <summary>
/// The composer posts here. Sent: the page's script gets 204 (the message itself arrives over the
/// room's socket), a plain form the room at the new message. Not sent: the draft comes back with the
/// reason (the composer again, or without JavaScript this page), with a 4xx or 503 status.
/// </summary>
public class SendModel(AppDbContext db, MessagePosting posting, RequestLimits limits) : PageModel
{
    public ComposerModel Composer { get; private set; } = null!;
    public string RoomName { get; private set; } = "";

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostAsync([FromRoute] int id, [FromForm(Name = "Composer")] ComposerInput input)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { IsMember: true } access)
            return NotFound();
        RoomName = access.Room.Name;

        var content = input.Content?.Trim() ?? "";
        string? error = content.Length switch
        {
            0 => "Write something first.",
            > Message.ContentMaxLength => $"Messages are at most {Message.ContentMaxLength} characters (this one has {content.Length}).",
            _ => null,
        };
        if (error is null && input.ClientMessageId == Guid.Empty)
            error = "Reload the page and send again.";
        if (error is null && !limits.Allow(Limit.Post, UserId))
            return await NotSent(id, input, "You're sending a lot in a short time. Wait a little, then send this again.", 429);
        if (error is not null)
            return await NotSent(id, input, error, 422);

        try
        {
            var message = await posting.Post(id, UserId, content, input.ClientMessageId);
            return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.RoomAt(id, message.Id));
        }
        catch (MentionLimitReached limit)
        {
            return await NotSent(id, input, limit.RoomWide
                ? "The agents in this room have been asked a lot in the last minute. Wait a moment, then send this again."
                : "You've asked agents a lot in the last minute. Wait a moment, then send this again.", 429);
        }
        catch (MessageNotSaved)
        {
            return await NotSent(id, input, "Your message could not be saved. It is still here; try sending it again.", 503);
        }
    }

    private async Task<IActionResult> NotSent(int roomId, ComposerInput input, string error, int status)
    {
        Response.StatusCode = status;
        Composer = await ComposerModel.WithHandles(db, new ComposerModel(roomId, input.Content ?? "", input.ClientMessageId, error));
        return Request.IsHtmx() ? Partial("_Composer", Composer) : Page();
    }
}
