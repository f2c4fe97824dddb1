using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary><c>/rooms/nav</c>: the rooms list of the shell again, for a page told that it changed (<c>current</c>: the room that page shows).</summary>
public class NavModel(RoomsNavigation navigation) : PageModel
{
    public RoomsNavModel Rooms { get; private set; } = null!;

    public async Task OnGetAsync(int? current)
    {
        Response.Headers.CacheControl = "no-store";
        Rooms = await navigation.For(User, current, HttpContext.RequestAborted);
    }
}
