using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// The link of a confirmation email confirms the address, once. In the browser that registered, the
/// person is signed in and sent where they were going; anywhere else they are asked to sign in.
/// </summary>
[AllowAnonymous]
public class ConfirmEmailModel(UserManager<User> users, SignInManager<User> signIn, Confirmations confirmations, IEnumerable<IArrival> arrivals) : PageModel
{
    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "user")] string? userId, string? token, string? returnUrl)
    {
        if (userId is null || token is null || await users.FindByIdAsync(userId) is not { DeactivatedAt: null } user || !await confirmations.Confirm(user, token))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!confirmations.RegisteredHere(HttpContext, user.Id))
        {
            Notice = "Your address is confirmed. Sign in to go on.";
            var back = Url.IsLocalUrl(returnUrl) ? $"?ReturnUrl={Uri.EscapeDataString(returnUrl!)}" : "";
            return Redirect(Paths.SignIn + back);
        }
        await signIn.SignInAsync(user, isPersistent: true);
        return LocalRedirect(await Arrivals.After(arrivals, Url, returnUrl, user.Id));
    }
}
