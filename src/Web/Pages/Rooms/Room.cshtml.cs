using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Pins;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Pages.Direct;
using AgentRooms.Web.Pages.Invitations;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Realtime;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary>
/// The room page puts the features together: the conversation (Messages), who is here (Members),
/// the agents panel (Agents), the pinned messages (Pins) and the invite form (Invitations). Each posts to its own feature's page.
/// </summary>
public class RoomModel(RoomsNavigation navigation, AppDbContext db, RoomHistory history, Membership membership, AgentsInRoom agents, IPresence presence, IAntiforgery antiforgery,
    DirectConversations direct, RoomPins pins, IOptions<AttachmentOptions> attachments, IOptions<AgentOptions> ai) : PageModel
{
    /// <summary>For forms inside shared components that this page renders for its one viewer.</summary>
    public string? AntiforgeryToken => antiforgery.GetAndStoreTokens(HttpContext).RequestToken;

    public Room Room { get; private set; } = null!;

    /// <summary>The room's name for this viewer: a direct conversation is called by the others in it.</summary>
    public string ShownName { get; private set; } = "";
    public bool IsMember { get; private set; }
    public string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;
    public IReadOnlyList<ShownMessage> Messages { get; private set; } = [];
    public long? OlderThan { get; private set; }

    /// <summary>Reading an older page (<c>?before=</c>): it links to the next newer page and to the latest.</summary>
    public bool ShowingOlder { get; private set; }

    /// <summary>The <c>before</c> of the next newer page; null when that page is the latest.</summary>
    public long? NewerBefore { get; private set; }
    public RoomMembers Members { get; private set; } = null!;
    public int MemberCount { get; private set; }
    public ComposerModel Composer { get; private set; } = null!;
    public bool CanModerate { get; private set; }

    /// <summary>What of this room reaches the viewer while away.</summary>
    public AgentRooms.Data.Rooms.NotifyLevel Notify { get; private set; }
    public IReadOnlyList<ReplyShown> Replies { get; private set; } = [];
    public AgentsPanelModel Agents { get; private set; } = null!;
    public IReadOnlyList<PinShown> Pins { get; private set; } = [];

    /// <summary>The messages of this room its viewer saved (Saved): room.js shows their Save as Unsave.</summary>
    public IReadOnlyList<long> SavedHere { get; private set; } = [];
    public InvitePanelModel Invite => new(Room.Id, new InviteInput(), NewInviteLink: null);

    /// <summary>In a direct conversation: who may be added to it.</summary>
    public AddPeopleModel? AddPeople { get; private set; }

    /// <summary>
    /// Others' messages the viewer had not read when the page opened, at least <see cref="UnreadToSummarize"/>,
    /// and the Seq they come after: "Summarize unread" offers a summary of them.
    /// </summary>
    public (long Since, int Count)? Unread { get; private set; }

    public const int UnreadToSummarize = 3;

    /// <summary>
    /// The first message of someone else's the viewer had not read when the page opened, if they had read
    /// any before: "New" is marked above it.
    /// </summary>
    public long? FirstUnreadSeq { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>Opened at an older message, this many come above it.</summary>
    private const int ContextAbove = 10;

    /// <param name="before">An older page: the newest messages before this Seq.</param>
    /// <param name="at">A message to open the room at: the latest page when it is on it, else the page around it.</param>
    /// <param name="reply">A message to reply to: the composer comes with its quote (without JavaScript; room.js does it in place).</param>
    public async Task<IActionResult> OnGetAsync([FromRoute] int id, long? before, long? at, long? reply)
    {
        if (await RoomAccess.Find(db, id, UserId) is not { } access)
            return NotFound();
        Room = access.Room;
        ShownName = await navigation.NameFor(Room, UserId);
        IsMember = access.IsMember;
        CanModerate = access.Member?.CanModerate == true;
        if (access.Member is not { } member)
        {
            MemberCount = await db.RoomMembers.CountAsync(m => m.RoomId == Room.Id);
            return Page();
        }
        Notify = member.Notify;

        if (at is { } messageId && before is null
            && await db.Messages.Where(m => m.RoomId == Room.Id && m.Id == messageId).Select(m => (long?)m.Seq).FirstOrDefaultAsync() is { } seq
            && seq <= Room.LastSeq - RoomHistory.PageSize)
            before = seq + RoomHistory.PageSize - ContextAbove;
        Messages = await history.Page(Room.Id, before);
        OlderThan = Messages.Count > 0 && Messages[0].Seq > 1 ? Messages[0].Seq : null;
        ShowingOlder = before is not null;
        if (ShowingOlder && Messages.Count > 0 && Messages[^1].Seq + RoomHistory.PageSize < Room.LastSeq)
            NewerBefore = Messages[^1].Seq + RoomHistory.PageSize + 1;
        Replies = await agents.Answering(Room.Id);
        Agents = await agents.Panel(Room.Id, UserId, CanModerate);
        Pins = await pins.Of(Room.Id);
        SavedHere = await db.SavedMessages.Where(s => s.UserId == UserId && s.Message!.RoomId == Room.Id).Select(s => s.MessageId).ToListAsync();
        Composer = new ComposerModel(Room.Id, "", Guid.NewGuid(), null, reply is { } quoted ? await history.QuoteOf(Room.Id, quoted) : null)
        {
            MaxFileBytes = attachments.Value.MaxBytes, AgentsHere = Agents.RoomAgents.Count > 0,
        };
        Members = await RoomMembers.Load(db, presence, Room.Id);
        if (Room.IsDirect)
            AddPeople = new AddPeopleModel(Room.Id, await direct.Addable(Room.Id, UserId));
        if (before is null && member.LastReadSeq < Room.LastSeq)
        {
            // Where the reader left off; a first visit (nothing read yet, as on joining) left off nowhere.
            if (member.LastReadSeq > 0)
                FirstUnreadSeq = Messages.FirstOrDefault(m => m.Seq > member.LastReadSeq && m.Kind != MessageKind.System && !m.Deleted
                    && m.AuthorUserId != UserId)?.Seq;
            if (ai.Value.IsConfigured)
            {
                var unread = await db.Messages.Where(m => m.RoomId == Room.Id && m.Seq > member.LastReadSeq && m.Kind != MessageKind.System
                    && m.DeletedAt == null && m.SenderUserId != UserId).Take(1000).CountAsync();
                if (unread >= UnreadToSummarize)
                    Unread = (member.LastReadSeq, unread);
            }
            await membership.MarkRead(Room.Id, UserId, Room.LastSeq);
        }
        return Page();
    }
}
