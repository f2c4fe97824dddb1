using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Invitations;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Pages.Tools;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary>Owners and admins run the room here; the role is read from the database on every request.</summary>
public class SettingsModel(AppDbContext db, Membership membership, RoomChanges rooms, InviteLinks invitations, ToolServers tools) : PageModel
{
    [FromRoute] public int Id { get; set; }

    [BindProperty]
    public NewRoomInput Input { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    public Room Room { get; private set; } = null!;
    public RoomMember Me { get; private set; } = null!;
    public IReadOnlyList<MemberRow> People { get; private set; } = [];
    public IReadOnlyList<InvitationRow> Invitations { get; private set; } = [];
    public IReadOnlyList<(string UserId, string Name)> Removed { get; private set; } = [];

    /// <summary>The room's rolling summary, which its agents read ahead of the messages they can hold; none until the room grows long.</summary>
    public Summary? AgentsSummary { get; private set; }

    /// <summary>The site has tool servers, so the room's owners may turn agents' tools off here.</summary>
    public bool ToolsOffered => tools.Configured;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await Authorize() is { } refused)
            return refused;
        Input = new NewRoomInput { Name = Room.Name, Description = Room.Description, Visibility = Room.Visibility };
        await LoadLists();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (await Authorize() is { } refused)
            return refused;
        if (!ModelState.IsValid)
        {
            await LoadLists();
            return this.InvalidForm();
        }
        await rooms.Update(Room, Input, UserId);
        return Done("Saved.");
    }

    public async Task<IActionResult> OnPostRoleAsync(string userId, RoomRole role) =>
        await Authorize() ?? Outcome(await membership.SetRole(Id, UserId, userId, role), "Role changed.");

    public async Task<IActionResult> OnPostHandOverAsync(string userId) =>
        await Authorize() ?? Outcome(await membership.HandOver(Id, UserId, userId), "Ownership handed over.");

    public async Task<IActionResult> OnPostRemoveAsync(string userId) =>
        await Authorize() ?? Outcome(await membership.Remove(Id, UserId, userId), "Removed from the room.");

    public async Task<IActionResult> OnPostLetBackInAsync(string userId) =>
        await Authorize() ?? Outcome(await membership.LetBackIn(Id, UserId, userId), "They can join again.");

    /// <summary>Owners only: whether agents may call tools in this room. Replies started afterwards go by it.</summary>
    public async Task<IActionResult> OnPostToolsAsync(bool allowed)
    {
        if (await Authorize() is { } refused)
            return refused;
        if (!Me.CanChangeRoles)
            return StatusCode(StatusCodes.Status403Forbidden);
        await db.Rooms.Where(r => r.Id == Id).ExecuteUpdateAsync(r => r.SetProperty(x => x.ToolsOff, !allowed));
        return Done(allowed ? "Agents may use their tools here." : "Agents answer without tools here.");
    }

    /// <summary>Owners only: "Archive room" makes it read-only and takes it out of everyone's navigation; "Unarchive room" brings it back.</summary>
    public async Task<IActionResult> OnPostArchiveAsync(bool archived)
    {
        if (await Authorize() is { } refused)
            return refused;
        if (!Me.CanChangeRoles || Room.IsDirect)
            return StatusCode(StatusCodes.Status403Forbidden);
        await rooms.Archive(Id, archived);
        return Done(archived ? "The room is archived: read-only, and listed under Archived." : "The room is back in use.");
    }

    public const int MinContextTokens = 256;
    public const int MaxContextTokens = 1_000_000;

    /// <summary>What was wrong with the "What agents are given" form, shown beside it.</summary>
    public string? ContextError { get; private set; }

    /// <summary>
    /// Owners only: what agents are given here: at most so many tokens of the recent messages (empty: what
    /// their model holds), the room's files or not, other agents' replies or not. Replies started afterwards go by it.
    /// </summary>
    public async Task<IActionResult> OnPostContextAsync(string? tokens, bool files, bool agents)
    {
        if (await Authorize() is { } refused)
            return refused;
        if (!Me.CanChangeRoles)
            return StatusCode(StatusCodes.Status403Forbidden);
        int? cap = null;
        if (!string.IsNullOrWhiteSpace(tokens))
        {
            if (!int.TryParse(tokens.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                || parsed is < MinContextTokens or > MaxContextTokens)
            {
                ContextError = $"A whole number of tokens from {MinContextTokens:N0} to {MaxContextTokens:N0}, or nothing for as many as the model holds.";
                Input = new NewRoomInput { Name = Room.Name, Description = Room.Description, Visibility = Room.Visibility };
                await LoadLists();
                return this.InvalidForm();
            }
            cap = parsed;
        }
        await db.Rooms.Where(r => r.Id == Id).ExecuteUpdateAsync(r => r.SetProperty(x => x.ContextTokens, cap)
            .SetProperty(x => x.ContextWithoutFiles, !files).SetProperty(x => x.ContextWithoutAgents, !agents));
        return Done("Saved what agents are given here.");
    }

    public async Task<IActionResult> OnPostRevokeAsync(int invitationId)
    {
        if (await Authorize() is { } refused)
            return refused;
        if (!await invitations.Revoke(Id, invitationId))
            return NotFound();
        return Done("Invitation revoked; the link no longer works.");
    }

    /// <summary>404 for those who may not see the room, 403 for members who may not run it.</summary>
    private async Task<IActionResult?> Authorize()
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { Member: { } member } access)
            return NotFound();
        if (!member.CanModerate)
            return StatusCode(StatusCodes.Status403Forbidden);
        (Room, Me) = (access.Room, member);
        return null;
    }

    private IActionResult Outcome(MembershipResult result, string notice) => result switch
    {
        MembershipResult.Done => Done(notice),
        MembershipResult.NotFound => NotFound(),
        _ => StatusCode(StatusCodes.Status403Forbidden),
    };

    private IActionResult Done(string notice)
    {
        Notice = notice;
        return Redirect(Paths.RoomSettings(Id));
    }

    private async Task LoadLists()
    {
        People = (await db.RoomMembers.Where(m => m.RoomId == Id).Include(m => m.User).AsNoTracking().ToListAsync())
            .Select(m => new MemberRow(m.UserId, m.User!.DisplayName, m.Role, m))
            .OrderByDescending(m => m.Role).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
        Invitations = await invitations.Usable(Id);
        AgentsSummary = await db.Summaries.Where(x => x.RoomId == Id && x.Kind == SummaryKind.Room).OrderByDescending(x => x.UpToSeq)
            .AsNoTracking().FirstOrDefaultAsync();
        Removed = (await db.RoomBans.Where(b => b.RoomId == Id)
                .Join(db.Users, b => b.UserId, u => u.Id, (b, u) => new { u.Id, u.DisplayName }).ToListAsync())
            .Select(r => (r.Id, r.DisplayName)).OrderBy(r => r.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }
}

public sealed record MemberRow(string UserId, string Name, RoomRole Role, RoomMember Entity);
