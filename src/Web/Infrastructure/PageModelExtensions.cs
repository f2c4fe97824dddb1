using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Infrastructure;

public static class PageModelExtensions
{
    /// <summary>The same form again, what was typed kept, saying that this was too much too soon: 429.</summary>
    public static IActionResult TooMany(this PageModel page, string field = "")
    {
        page.ModelState.AddModelError(field, RequestLimits.TryLater);
        page.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        return page.Page();
    }

    /// <summary>The same form again, with each problem beside its field, as 422.</summary>
    public static IActionResult InvalidForm(this PageModel page)
    {
        page.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return page.Page();
    }
}
