using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages;

public static class PageModelExtensions
{
    /// <summary>The same form again, with each problem beside its field, as 422.</summary>
    public static IActionResult InvalidForm(this PageModel page)
    {
        page.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return page.Page();
    }
}
