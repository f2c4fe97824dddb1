using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Rooms;

public class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
