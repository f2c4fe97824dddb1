using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Authorization;
using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Accounts;

[AllowAnonymous]
public class LoginModel(UserManager<User> users, SignInManager<User> signIn, RequestLimits limits, SignInFailures failures, IEnumerable<IArrival> arrivals) : PageModel
{
    /// <summary>One message for every failure, so it reveals neither which accounts exist nor which are locked.</summary>
    public const string FailedMessage =
        "That email and password did not match. After several failed tries, sign-in pauses for a few minutes.";

    public const string DeactivatedMessage = "This account has been deactivated by the site's administrator.";

    public const string UnconfirmedMessage = "Confirm your address first: open the link we emailed to you when you created the account.";

    /// <summary>A hash of no one's password, made with the same hasher as every account's.</summary>
    private static readonly string UnknownAccountHash =
        new PasswordHasher<User>().HashPassword(new User(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set after a password was changed through a reset link.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>No account exists yet: the page says that the first one becomes the site's administrator.</summary>
    public bool FreshSite { get; private set; }

    public async Task OnGetAsync() => FreshSite = !await users.Users.AnyAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return this.InvalidForm();
        var client = RequestLimits.ClientOf(HttpContext);
        if (!limits.Allow(Limit.SignIn, client))
            return this.TooMany();

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        var paused = failures.IsPaused(Input.Email, client);
        if (user is null || paused)
        {
            // As long as checking a real password: the answer's timing tells nobody which emails have
            // accounts, nor which are paused.
            users.PasswordHasher.VerifyHashedPassword(new User(), UnknownAccountHash, Input.Password);
        }
        if (user is { DeactivatedAt: not null } or { EmailConfirmed: false } && !paused && await users.CheckPasswordAsync(user, Input.Password))
        {
            // Said only to whoever knows the password.
            ModelState.AddModelError("", user.DeactivatedAt is not null ? DeactivatedMessage : UnconfirmedMessage);
            return this.InvalidForm();
        }
        var result = user is null || paused || user.DeactivatedAt is not null || !user.EmailConfirmed
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: true, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            failures.Record(Input.Email, client);
            ModelState.AddModelError("", FailedMessage);
            return this.InvalidForm();
        }
        failures.Forget(Input.Email, client);

        return LocalRedirect(await Arrivals.After(arrivals, Url, ReturnUrl, user!.Id));
    }
}

public class LoginInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(128)]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
}
