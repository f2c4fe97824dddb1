using Microsoft.AspNetCore.Authorization;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>Signing out is a POST; the GET only offers the button.</summary>
[AllowAnonymous]
public class LogoutModel(SignInManager<User> signIn, AccountSessions sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // This session ends for good (a copy of its cookie is refused from now on), and what rode on it:
        // this browser's notifications, and the sockets of pages that used the cookie just cleared.
        await sessions.SignedOut(User);
        await signIn.SignOutAsync();
        return RedirectToPage("/Accounts/Login");
    }
}
