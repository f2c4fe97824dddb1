using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Shared;

/// <summary>The page behind every bare error status. A room you may not see and one that does not exist look the same.</summary>
[IgnoreAntiforgeryToken]
[AllowAnonymous]
public class StatusModel : PageModel
{
    // Re-executed for failed POSTs too.
    public void OnPost(int code) => OnGet(code);

    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code)
    {
        (Title, Explanation) = code switch
        {
            404 => ("Not found", "There is nothing here, or it is not yours to see."),
            403 => ("Not allowed", "You can't do that here."),
            400 => ("Something went wrong with that request", "Reload the page and try again."),
            429 => ("Slow down", "Too many requests. Wait a moment and try again."),
            _ => ("Something went wrong", "Try again in a moment."),
        };
    }
}
