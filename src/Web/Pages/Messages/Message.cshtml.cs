using AgentRooms.Web.Infrastructure;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Members;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// One message and what the viewer may do with it: its author edits, its author or the room's owners
/// and admins delete. The room page's script edits and deletes in place through the same handlers (204).
/// </summary>
public class MessageModel(AppDbContext db, RoomHistory history, MessagePosting posting, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) : PageModel
{
    public string? AntiforgeryToken => antiforgery.GetAndStoreTokens(HttpContext).RequestToken;

    [FromRoute] public int RoomId { get; set; }
    [FromRoute] public long MessageId { get; set; }

    /// <summary>Which of an agent's answers to show (Regenerate keeps the earlier ones); the newest when not given.</summary>
    [FromQuery] public int? Answer { get; set; }

    public ShownMessage Shown { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    public bool CanDelete { get; private set; }

    /// <summary>The room's owners and admins pin and unpin (Pins; without JavaScript, from here).</summary>
    public bool CanPin { get; private set; }

    /// <summary>The viewer saved it (Saved): the page offers Unsave.</summary>
    public bool IsSaved { get; private set; }

    public bool IsMember { get; private set; }
    public string Draft { get; private set; } = "";
    public string? Error { get; private set; }

    public string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync() =>
        await Load() is { } found ? await Show(found.Access, found.Message) : NotFound();

    public async Task<IActionResult> OnPostEditAsync([FromForm] string? content)
    {
        if (await Load() is not { } found)
            return NotFound();
        if (!found.Message.CanBeEditedBy(UserId))
            return StatusCode(StatusCodes.Status403Forbidden);

        content = content?.Trim() ?? "";
        if (content.Length is 0 or > Message.ContentMaxLength)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Error = content.Length == 0 ? "A message needs some text. To remove it, delete it." : $"Messages are at most {Message.ContentMaxLength} characters.";
            return await Show(found.Access, found.Message, content);
        }
        await posting.Edit(found.Message, content);
        return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.RoomAt(RoomId, MessageId));
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (await Load() is not { } found)
            return NotFound();
        if (!found.Message.CanBeDeletedBy(UserId, found.Access.Member))
            return StatusCode(StatusCodes.Status403Forbidden);
        await posting.Delete(found.Message);
        return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.Room(RoomId));
    }

    /// <summary>Only members reach a room's messages, and only through that room.</summary>
    private async Task<(RoomAccess Access, Message Message)?> Load()
    {
        if (await RoomAccess.Find(db, RoomId, UserId) is not { IsMember: true } access)
            return null;
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == MessageId && m.RoomId == RoomId);
        return message is null ? null : (access, message);
    }

    private async Task<IActionResult> Show(RoomAccess access, Message message, string? draft = null)
    {
        Shown = (Answer is { } answer ? await history.One(RoomId, MessageId, answer) : await history.One(RoomId, MessageId))!;
        CanEdit = message.CanBeEditedBy(UserId);
        CanDelete = message.CanBeDeletedBy(UserId, access.Member);
        IsMember = access.Member is not null;
        IsSaved = await db.SavedMessages.AnyAsync(s => s.UserId == UserId && s.MessageId == MessageId);
        CanPin = access.Member is { CanModerate: true } && !message.IsDeleted && message.Kind != Data.Messages.MessageKind.System;
        Draft = draft ?? message.Content;
        return Page();
    }
}
