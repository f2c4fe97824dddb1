using System.Security.Claims;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>Agents in a room: the room page's agents panel, and Stop, Retry and Regenerate on replies post here.</summary>
public class InRoomModel(AgentsInRoom agents) : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostAddAsync([FromRoute] int id, int agentId)
    {
        var (found, notice) = await agents.Add(id, UserId, agentId);
        if (!found)
            return NotFound();
        Notice = notice;
        return Redirect(Paths.Room(id));
    }

    public async Task<IActionResult> OnPostRemoveAsync([FromRoute] int id, int agentId) =>
        Outcome(await agents.Remove(id, UserId, agentId), id);

    public async Task<IActionResult> OnPostStopAsync([FromRoute] int id, long replyId) =>
        Outcome(await agents.Stop(id, UserId, replyId), id, quietly: Request.IsHtmx());

    /// <summary>Retry or Regenerate (room.js posts here; the new answer arrives over the socket).</summary>
    public async Task<IActionResult> OnPostAgainAsync([FromRoute] int id, long messageId) => await agents.Again(id, UserId, messageId) switch
    {
        AgainResult.Started => Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.Room(id)),
        AgainResult.NotFound => NotFound(),
        AgainResult.Forbidden => StatusCode(StatusCodes.Status403Forbidden),
        AgainResult.TooMany => StatusCode(StatusCodes.Status429TooManyRequests),
        _ => StatusCode(StatusCodes.Status409Conflict), // the agent left, or it is answering already
    };

    private IActionResult Outcome(MembershipResult result, int roomId, bool quietly = false) => result switch
    {
        MembershipResult.Done when quietly => StatusCode(StatusCodes.Status204NoContent),
        MembershipResult.Done => Redirect(Paths.Room(roomId)),
        MembershipResult.NotFound => NotFound(),
        _ => StatusCode(StatusCodes.Status403Forbidden),
    };
}
