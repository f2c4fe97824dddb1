using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary>The signed-in home is the rooms page.</summary>
public class HomeModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Rooms/Index");
}
