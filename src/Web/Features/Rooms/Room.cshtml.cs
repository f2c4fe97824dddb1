using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Features.Agents;
using AgentRooms.Web.Features.Messages;
using AgentRooms.Web.Realtime;
using AgentRooms.Web.Features.Invitations;
using AgentRooms.Web.Features.Members;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Rooms;

public class RoomModel(AppDbContext db, RoomHistory history, MessagePosting posting, MemberFeed feed, ReplyFeed replies, IPresence presence,
    Membership membership, IRoomBroadcaster broadcaster, IConfiguration config, IAntiforgery antiforgery, RequestLimits limits) : PageModel
{
    /// <summary>For forms inside shared components that this page renders for its one viewer.</summary>
    public string? AntiforgeryToken => antiforgery.GetAndStoreTokens(HttpContext).RequestToken;

    public Room Room { get; private set; } = null!;
    public bool IsMember { get; private set; }
    public string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;
    public IReadOnlyList<ShownMessage> Messages { get; private set; } = [];
    public long? OlderThan { get; private set; }
    public RoomMembers Members { get; private set; } = null!;
    public int MemberCount { get; private set; }
    public ComposerModel Composer { get; private set; } = null!;
    public bool CanModerate { get; private set; }
    public IReadOnlyList<ReplyShown> Replies { get; private set; } = [];
    public IReadOnlyList<RoomAgentRow> RoomAgents { get; private set; } = [];
    public IReadOnlyList<Agent> MyAgents { get; private set; } = [];
    public InviteInput Invite { get; private set; } = new();

    /// <summary>Shown once, right after it is created; only its hash is kept.</summary>
    public string? NewInviteLink { get; private set; }

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
        if (error is null && !limits.Allow(Limit.Post, UserId))
            return await ComposerAgain(access, new ComposerModel(id, input.Content ?? "", input.ClientMessageId,
                "You're sending a lot in a short time. Wait a little, then send this again."), 429);
        if (error is not null)
            return await ComposerAgain(access, new ComposerModel(id, input.Content ?? "", input.ClientMessageId, error), 422);

        try
        {
            var message = await posting.Post(id, UserId, content, input.ClientMessageId);
            if (Request.IsHtmx())
                return Partial("/Features/Messages/_Composer.cshtml", new ComposerModel(id, "", Guid.NewGuid(), null) { AgentHandles = await AgentHandles(id) });
            return Redirect($"/rooms/{id}#message-{message.Id}");
        }
        catch (MentionLimitReached limit)
        {
            return await ComposerAgain(access, new ComposerModel(id, input.Content ?? "", input.ClientMessageId, limit.RoomWide
                ? "The agents in this room have been asked a lot in the last minute. Wait a moment, then send this again."
                : "You've asked agents a lot in the last minute. Wait a moment, then send this again."), 429);
        }
        catch (MessageNotSaved)
        {
            return await ComposerAgain(access, new ComposerModel(id, input.Content ?? "", input.ClientMessageId,
                "Your message could not be saved. It is still here; try sending it again."), 503);
        }
    }

    public async Task<IActionResult> OnPostJoinAsync([FromRoute] int id)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { } access)
            return NotFound();
        if (!access.IsMember && await db.RoomBans.AnyAsync(b => b.RoomId == id && b.UserId == UserId))
        {
            Notice = "You were removed from this room, so you can't join it yourself. Its owner or an admin can let you back in, or invite you.";
            return Redirect($"/rooms/{id}");
        }
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
        switch (await membership.Leave(id, UserId))
        {
            case MembershipResult.Done:
                return Redirect("/rooms");
            case MembershipResult.LastOwner:
                Notice = "You are this room's only owner. Make someone else an owner before you leave.";
                return Redirect($"/rooms/{id}");
            default:
                return NotFound();
        }
    }

    public async Task<IActionResult> OnPostInviteAsync([FromRoute] int id, [FromForm(Name = "Invite")] InviteInput input)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { IsMember: true } access)
            return NotFound();
        if (!access.Member!.CanModerate)
            return StatusCode(StatusCodes.Status403Forbidden);

        await Show(access, null, new ComposerModel(id, "", Guid.NewGuid(), null));
        Invite = input;
        if (ModelState.IsValid && !limits.Allow(Limit.NewInviteLink, UserId))
            return this.TooMany("Invite.Expires");
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var (invitation, token) = Data.Invitations.Invitation.Create(id, UserId, input.ExpiresAt(DateTime.UtcNow), input.MaxUses);
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        NewInviteLink = $"{PublicOrigin()}/invite/{token}";
        return Page();
    }

    public async Task<IActionResult> OnPostAddAgentAsync([FromRoute] int id, int agentId)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { IsMember: true })
            return NotFound();
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && a.CreatedById == UserId && a.DeletedAt == null);
        if (agent is null)
            return NotFound();
        if (!await db.RoomAgents.AnyAsync(ra => ra.RoomId == id && ra.AgentId == agentId))
        {
            var maxAgents = config.GetValue("Rooms:MaxAgents", 20);
            if (await db.RoomAgents.CountAsync(ra => ra.RoomId == id) >= maxAgents)
            {
                Notice = $"A room holds at most {maxAgents} agents. Remove one to add {agent.Name}.";
                return Redirect($"/rooms/{id}");
            }
            db.RoomAgents.Add(new RoomAgent { RoomId = id, AgentId = agent.Id, Handle = agent.Handle, AddedById = UserId });
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                Notice = $"This room already has an agent called @{agent.Handle}. Rename one of them to add {agent.Name}.";
                return Redirect($"/rooms/{id}");
            }
            await feed.MembersChanged(id);
        }
        Notice = $"{agent.Name} joined. Mention @{agent.Handle} to ask it something.";
        return Redirect($"/rooms/{id}");
    }

    public async Task<IActionResult> OnPostRemoveAgentAsync([FromRoute] int id, int agentId)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { Member: { } member })
            return NotFound();
        var roomAgent = await db.RoomAgents.Include(ra => ra.Agent).FirstOrDefaultAsync(ra => ra.RoomId == id && ra.AgentId == agentId);
        if (roomAgent is null)
            return NotFound();
        if (roomAgent.Agent!.CreatedById != UserId && !member.CanModerate)
            return StatusCode(StatusCodes.Status403Forbidden);
        db.RoomAgents.Remove(roomAgent);
        await db.SaveChangesAsync();
        await feed.MembersChanged(id);
        return Redirect($"/rooms/{id}");
    }

    /// <summary>Whoever mentioned the agent, or the room's owners and admins, may stop its reply; the partial text stays.</summary>
    public async Task<IActionResult> OnPostStopAsync([FromRoute] int id, long replyId)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { Member: { } member })
            return NotFound();
        var reply = await db.AgentReplies.Include(r => r.TriggerMessage)
            .FirstOrDefaultAsync(r => r.Id == replyId && r.TriggerMessage!.RoomId == id);
        if (reply is null)
            return NotFound();
        if (reply.TriggerMessage!.SenderUserId != UserId && !member.CanModerate)
            return StatusCode(StatusCodes.Status403Forbidden);

        // Running (on this node or another): its model call is cancelled and the partial reply stays.
        await RunningReplies.StopEverywhere(broadcaster, replyId);
        // Not started yet: it never will.
        var stopped = await db.AgentReplies.Where(r => r.Id == replyId && r.Status == AgentReplyStatus.Pending)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Stopped).SetProperty(x => x.CompletedAt, DateTime.UtcNow));
        if (stopped == 1)
            await replies.Ended(reply);
        return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect($"/rooms/{id}");
    }

    private Task<List<string>> AgentHandles(int roomId) =>
        db.RoomAgents.Where(ra => ra.RoomId == roomId).Select(ra => ra.Handle).OrderBy(h => h).ToListAsync();

    private string PublicOrigin() =>
        Uri.TryCreate(config["App:PublicUrl"], UriKind.Absolute, out var publicUrl)
            ? publicUrl.GetLeftPart(UriPartial.Authority) + publicUrl.AbsolutePath.TrimEnd('/')
            : $"{Request.Scheme}://{Request.Host}{Request.PathBase}";

    private async Task Show(RoomAccess access, long? before, ComposerModel composer)
    {
        Room = access.Room;
        IsMember = access.IsMember;
        CanModerate = access.Member?.CanModerate == true;
        Composer = composer;
        if (!IsMember)
        {
            MemberCount = await db.RoomMembers.CountAsync(m => m.RoomId == Room.Id);
            return;
        }
        Messages = await history.Page(Room.Id, before);
        Replies = (await db.AgentReplies
                .Where(r => r.TriggerMessage!.RoomId == Room.Id && (r.Status == AgentReplyStatus.Pending || r.Status == AgentReplyStatus.Running))
                .OrderBy(r => r.Id).Select(r => new { r.Id, r.Agent!.Name, r.Agent.Emoji }).AsNoTracking().ToListAsync())
            .Select(r => new ReplyShown(r.Id, Room.Id, r.Name, r.Emoji)).ToList();
        RoomAgents = (await db.RoomAgents.Where(ra => ra.RoomId == Room.Id)
                .Select(ra => new { ra.AgentId, ra.Agent!.Name, ra.Agent.Emoji, ra.Handle, ra.Agent.CreatedById }).AsNoTracking().ToListAsync())
            .Select(ra => new RoomAgentRow(ra.AgentId, ra.Name, ra.Emoji, ra.Handle, ra.CreatedById == UserId || CanModerate))
            .OrderBy(ra => ra.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var present = RoomAgents.Select(ra => ra.AgentId).ToHashSet();
        MyAgents = (await db.Agents.Where(a => a.CreatedById == UserId && a.DeletedAt == null).OrderBy(a => a.Name).AsNoTracking().ToListAsync())
            .Where(a => !present.Contains(a.Id)).ToList();
        Composer = Composer with { AgentHandles = RoomAgents.Select(ra => ra.Handle).ToList() };
        OlderThan = Messages.Count > 0 && Messages[0].Seq > 1 ? Messages[0].Seq : null;
        Members = await RoomMembers.Load(db, presence, Room.Id);
    }

    private async Task<IActionResult> ComposerAgain(RoomAccess access, ComposerModel composer, int status)
    {
        Response.StatusCode = status;
        if (Request.IsHtmx())
            return Partial("/Features/Messages/_Composer.cshtml", composer with { AgentHandles = await AgentHandles(access.Room.Id) });
        await Show(access, null, composer);
        return Page();
    }
}
