using Htmx;
using System.Security.Claims;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Direct;

/// <summary>
/// <c>/direct/with/{userId}</c> ("Message" on a person) and <c>/direct/agent/{agentId}</c> ("Chat
/// with" an agent, which answers every message there without being mentioned): the conversation opens
/// if there is one; otherwise the page offers to start it (a POST: nothing is made on GET). Only
/// someone the person shares a room with, or an agent they may use, can be reached; anyone else is not found.
/// With JavaScript the links post here at once (<c>hx-post</c>): one click opens the conversation.
/// </summary>
public class StartModel(DirectConversations direct) : PageModel
{
    [FromRoute] public string Kind { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";

    public string Title { get; private set; } = "";
    public string About { get; private set; } = "";
    public string? Emoji { get; private set; }

    private string Me => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await Other() is not { } other)
            return NotFound();
        if (await direct.Existing(Me, other) is { } roomId)
            return Redirect(Paths.RoomLatest(roomId));
        (Title, About, Emoji) = other.IsAgent
            ? ($"Chat with {other.Name}", "A private conversation with this agent: it answers every message you write there, no mention needed. Only you can see it.", other.Emoji)
            : ($"Message {other.Name}", "A conversation just between the two of you. Nobody else can see or join it; you can add others later.", null);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await Other() is not { } other)
            return NotFound();
        var roomId = await direct.Existing(Me, other) ?? await direct.Open(Me, other);
        if (!Request.IsHtmx())
            return Redirect(Paths.RoomLatest(roomId));
        // "Message …" and "Chat with …" post here with htmx: one click, and the page goes to the conversation.
        Response.Headers["HX-Redirect"] = Paths.RoomLatest(roomId);
        return StatusCode(StatusCodes.Status204NoContent);
    }

    private Task<Partner?> Other() => Kind == "agent"
        ? int.TryParse(Id, out var agentId) ? direct.Agent(Me, agentId) : Task.FromResult<Partner?>(null)
        : direct.Person(Me, Id);
}
