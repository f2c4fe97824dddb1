using Microsoft.AspNetCore.Authorization;
using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Realtime;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRooms.Web.Features.Accounts;

/// <summary>Signing out is a POST; the GET only offers the button.</summary>
[AllowAnonymous]
public class LogoutModel(SignInManager<User> signIn, IRoomBroadcaster broadcaster, AppDbContext db, IMemoryCache cache) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        // This session ends for good: a copy of its cookie is refused from now on.
        await Sessions.Revoke(db, cache, User, AccountSetup.CookieLifetime);
        await signIn.SignOutAsync();
        // Other tabs' sockets rode the cookie just cleared; pages still signed in elsewhere reconnect.
        if (userId is not null)
            await broadcaster.SignedOut(userId);
        return RedirectToPage("/Accounts/Login");
    }
}
