using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// "Forgot your password?": with email set up, a reset link goes to the address if it has an active
/// account, and the answer is the same either way. Without email, it says to ask an administrator.
/// </summary>
[AllowAnonymous]
public class ForgotPasswordModel(UserManager<User> users, PasswordResets resets, EmailSender email, RequestLimits limits) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(256)]
    [EmailAddress(ErrorMessage = "Enter an email address, like name@example.com.")]
    public string Email { get; set; } = "";

    public bool CanEmail => email.IsConfigured;

    /// <summary>Shown after a request, whatever the address.</summary>
    public string? Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!CanEmail)
            return Page();
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!limits.Allow(Limit.PasswordReset, RequestLimits.ClientOf(HttpContext)))
            return this.TooMany();
        await resets.Send(await users.FindByEmailAsync(Email.Trim()) is { DeactivatedAt: null } user ? user : null, Request);
        Sent = $"If {Email.Trim()} has an account here, a link to choose a new password is on its way. It works once, within an hour.";
        return Page();
    }
}
