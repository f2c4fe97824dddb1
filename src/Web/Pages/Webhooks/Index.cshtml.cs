using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Webhooks;

/// <summary>
/// <c>/rooms/{id}/webhooks</c>: the room's owners and admins list, create and revoke its incoming webhooks
/// (the room's settings hold the same form). A new webhook's address is shown here once, never again.
/// </summary>
public class IndexModel(AppDbContext db, RoomWebhooks webhooks) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Room Room { get; private set; } = null!;
    public IReadOnlyList<WebhookRow> Rows { get; private set; } = [];

    /// <summary>The new webhook's address, on the page that created it.</summary>
    public string? NewUrl { get; private set; }

    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync() => await Load() ?? Page();

    public async Task<IActionResult> OnPostCreateAsync(string? name)
    {
        if (await Load() is { } refused)
            return refused;
        var (token, problem) = await webhooks.Create(Id, UserId, name);
        if (problem is not null)
        {
            Error = problem;
            return this.InvalidForm();
        }
        NewUrl = $"{Request.Scheme}://{Request.Host}{Paths.Hook(token!)}";
        Rows = await webhooks.Of(Id);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int webhookId)
    {
        if (await Load() is { } refused)
            return refused;
        if (!await webhooks.Revoke(Id, webhookId))
            return NotFound();
        Notice = "Revoked: its address no longer posts here.";
        Rows = await webhooks.Of(Id);
        return Page();
    }

    /// <summary>404 for those who may not see the room, 403 for members who do not run it.</summary>
    private async Task<IActionResult?> Load()
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { Member: { } member } access)
            return NotFound();
        if (!member.CanModerate || access.Room.IsDirect)
            return StatusCode(StatusCodes.Status403Forbidden);
        Room = access.Room;
        Rows = await webhooks.Of(Id);
        return null;
    }
}
