using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>A reset link's page: a new password, once. A used, expired or altered link says so (400).</summary>
[AllowAnonymous]
public class ResetPasswordModel(UserManager<User> users, PasswordResets resets, AccountSessions sessions) : PageModel
{
    public const string Expired = "This link no longer works: a link works once, within an hour. Ask for a new one.";

    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords are at least {2} characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string? Problem { get; private set; }

    [TempData] public string? Notice { get; set; }

    public void OnGet()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token))
        {
            Problem = Expired;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (UserId is null || Token is null || await users.FindByIdAsync(UserId) is not { DeactivatedAt: null } user)
            return Refused(Expired);
        var result = await resets.Reset(user, Token, Password);
        if (!result.Succeeded)
        {
            if (result.Errors.FirstOrDefault(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) is { } weak)
            {
                ModelState.AddModelError(nameof(Password), weak.Description);
                return this.InvalidForm();
            }
            return Refused(Expired);
        }
        // The new password ends every session made with the old one, and what rode on them.
        await sessions.EndAll(user, stampChanged: true);
        Notice = "Your password is changed. Sign in with it.";
        return Redirect(Paths.SignIn);
    }

    private PageResult Refused(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
