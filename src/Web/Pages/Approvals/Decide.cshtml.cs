using System.Security.Claims;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Approvals;

/// <summary>
/// One tool call waiting for approval. In the room the reply shows "Allow once" and "Deny" to the person
/// who asked, posting here through htmx (the reply goes on, live); without JavaScript this page shows
/// the call and the same buttons, and leads back to the room.
/// </summary>
public class DecideModel(ToolApprovals approvals) : PageModel
{
    [FromRoute] public int RoomId { get; set; }
    [FromRoute] public long ApprovalId { get; set; }

    public ToolApproval Approval { get; private set; } = null!;
    public string? Error { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public bool Mine => Approval.AskerId == UserId;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await approvals.Find(RoomId, ApprovalId, UserId) is not { } approval)
            return NotFound();
        Approval = approval;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision)
    {
        if (decision is not ("allow" or "deny"))
            return BadRequest("Choose \"Allow once\" or \"Deny\".");
        var result = await approvals.Decide(RoomId, ApprovalId, UserId, decision == "allow");
        if (result == DecideResult.Done)
            return Request.IsHtmx() ? StatusCode(StatusCodes.Status204NoContent) : Redirect(Paths.Room(RoomId));
        if (result == DecideResult.NotFound || await approvals.Find(RoomId, ApprovalId, UserId) is not { } approval)
            return NotFound();
        Approval = approval;
        Error = result == DecideResult.NotYours
            ? "Only the person who asked the agent can decide this."
            : "This was decided already, or it waited too long and was not run.";
        Response.StatusCode = result == DecideResult.NotYours ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        return Page();
    }
}
