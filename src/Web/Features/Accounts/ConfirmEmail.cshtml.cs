using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Features.Accounts;

/// <summary>The link of a confirmation email: the address is confirmed, the person signed in and sent where they were going.</summary>
[AllowAnonymous]
public class ConfirmEmailModel(UserManager<User> users, SignInManager<User> signIn, Confirmations confirmations, IEnumerable<IArrival> arrivals) : PageModel
{
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "user")] string? userId, string? token, string? returnUrl)
    {
        if (userId is null || token is null || await users.FindByIdAsync(userId) is not { DeactivatedAt: null } user || !await confirmations.Confirm(user, token))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: true);
        return LocalRedirect(await Arrivals.After(arrivals, Url, returnUrl, user.Id));
    }
}
