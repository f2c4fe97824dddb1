using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Messages;
using AgentRooms.Web.Realtime;
using AgentRooms.Web.Rooms;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Rooms;

public class RoomModel(AppDbContext db, RoomHistory history, MessagePosting posting, RoomFeed feed, IPresence presence) : PageModel
{
    public Room Room { get; private set; } = null!;
    public bool IsMember { get; private set; }
    public string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;
    public IReadOnlyList<ShownMessage> Messages { get; private set; } = [];
    public long? OlderThan { get; private set; }
    public RoomMembers Members { get; private set; } = null!;
    public int MemberCount { get; private set; }
    public ComposerModel Composer { get; private set; } = null!;

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync([FromRoute] int id, long? before)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { } access)
            return NotFound();
        await Show(access, before, new ComposerModel(id, "", Guid.NewGuid(), null));
        if (access.Member is { } member && before is null && member.LastReadSeq != access.Room.LastSeq)
        {
            member.LastReadSeq = access.Room.LastSeq;
            await db.SaveChangesAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync([FromRoute] int id, [FromForm(Name = "Composer")] ComposerInput input)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { IsMember: true } access)
            return NotFound();

        var content = input.Content?.Trim() ?? "";
        string? error = content.Length switch
        {
            0 => "Write something first.",
            > Message.ContentMaxLength => $"Messages are at most {Message.ContentMaxLength} characters (this one has {content.Length}).",
            _ => null,
        };
        if (error is null && input.ClientMessageId == Guid.Empty)
            error = "Reload the page and send again.";
        if (error is not null)
            return await Composer422(access, new ComposerModel(id, input.Content ?? "", input.ClientMessageId, error), 422);

        try
        {
            var message = await posting.Post(id, UserId, content, input.ClientMessageId);
            if (Request.IsHtmx())
                return Partial("_Composer", new ComposerModel(id, "", Guid.NewGuid(), null));
            return Redirect($"/rooms/{id}#message-{message.Id}");
        }
        catch (MessageNotSaved)
        {
            return await Composer422(access, new ComposerModel(id, input.Content ?? "", input.ClientMessageId,
                "Your message could not be saved. It is still here; try sending it again."), 503);
        }
    }

    public async Task<IActionResult> OnPostJoinAsync([FromRoute] int id)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { } access)
            return NotFound();
        if (!access.IsMember)
        {
            db.RoomMembers.Add(new RoomMember { RoomId = id, UserId = UserId, Role = RoomRole.Member, LastReadSeq = 0 });
            try
            {
                await db.SaveChangesAsync();
                await feed.MembersChanged(id);
            }
            catch (DbUpdateException)
            {
                // Joined twice at once: the first join stands.
            }
        }
        return Redirect($"/rooms/{id}");
    }

    public async Task<IActionResult> OnPostLeaveAsync([FromRoute] int id)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { Member: { } member })
            return NotFound();
        if (member.Role == RoomRole.Owner
            && !await db.RoomMembers.AnyAsync(m => m.RoomId == id && m.Role == RoomRole.Owner && m.UserId != UserId))
        {
            Notice = "You are this room's only owner. Make someone else an owner before you leave.";
            return Redirect($"/rooms/{id}");
        }
        db.RoomMembers.Remove(member);
        await db.SaveChangesAsync();
        await feed.MemberLeft(id, UserId);
        return Redirect("/rooms");
    }

    private async Task Show(RoomAccess access, long? before, ComposerModel composer)
    {
        Room = access.Room;
        IsMember = access.IsMember;
        Composer = composer;
        if (!IsMember)
        {
            MemberCount = await db.RoomMembers.CountAsync(m => m.RoomId == Room.Id);
            return;
        }
        Messages = await history.Page(Room.Id, before);
        OlderThan = Messages.Count > 0 && Messages[0].Seq > 1 ? Messages[0].Seq : null;
        Members = await RoomMembers.Load(db, presence, Room.Id);
    }

    private async Task<IActionResult> Composer422(RoomAccess access, ComposerModel composer, int status)
    {
        Response.StatusCode = status;
        if (Request.IsHtmx())
            return Partial("_Composer", composer);
        await Show(access, null, composer);
        return Page();
    }
}

public sealed record ComposerModel(int RoomId, string Content, Guid ClientMessageId, string? Error);

public class ComposerInput
{
    public string? Content { get; set; }
    public Guid ClientMessageId { get; set; }
}
