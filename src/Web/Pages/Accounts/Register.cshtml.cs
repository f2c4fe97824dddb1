using Microsoft.AspNetCore.Authorization;
using System.ComponentModel.DataAnnotations;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Data.Invitations;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Accounts;

[AllowAnonymous]
public class RegisterModel(
    UserManager<User> users, SignInManager<User> signIn, AppDbContext db, RequestLimits limits, IEnumerable<IArrival> arrivals, Site site,
    Confirmations confirmations) : PageModel
{
    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why this visitor may not register under the site's settings, or null.</summary>
    public string? Refusal { get; private set; }

    public async Task OnGetAsync()
    {
        Refusal = await Refused();
        if (Refusal is not null)
            Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if ((Refusal = await Refused()) is not null)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!limits.Allow(Limit.Registration, RequestLimits.ClientOf(HttpContext)))
            return this.TooMany();

        // Without email to confirm it with, an address is taken on trust (so turning email on later locks nobody out).
        var user = new User { UserName = Input.Email.Trim(), Email = Input.Email.Trim(), DisplayName = Input.DisplayName.Trim(), EmailConfirmed = !confirmations.Required };
        if (confirmations.Required && await users.FindByEmailAsync(user.Email) is { } owner)
        {
            // Taken: the same answer as for a new account (after as much work), and a note to the address's owner.
            users.PasswordHasher.HashPassword(user, Input.Password);
            await confirmations.SendAlreadyRegistered(owner, Request);
            return Redirect($"{Paths.CheckEmail}?email={Uri.EscapeDataString(user.Email)}");
        }
        var result = await users.Users.AnyAsync() ? await users.CreateAsync(user, Input.Password) : await CreateFirst(user);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(FieldFor(error), MessageFor(error));
            return this.InvalidForm();
        }
        if (confirmations.Required)
        {
            await confirmations.SendLink(user, Request, ReturnUrl);
            confirmations.RememberBrowser(Response, user.Id);
            return Redirect($"{Paths.CheckEmail}?email={Uri.EscapeDataString(user.Email)}");
        }

        await signIn.SignInAsync(user, isPersistent: true);
        return LocalRedirect(await Arrivals.After(arrivals, Url, ReturnUrl, user.Id));
    }

    /// <summary>
    /// The first account of an installation is its site administrator. People registering on a fresh
    /// installation at once go one at a time (<see cref="NamedLock"/>), so exactly one of them is first.
    /// </summary>
    private async Task<IdentityResult> CreateFirst(User user)
    {
        await using var oneAtATime = await NamedLock.Take(db, "agentrooms-first-account");
        user.IsSiteAdmin = !await users.Users.AnyAsync();
        return await users.CreateAsync(user, Input.Password);
    }

    /// <summary>
    /// Registration closed, or open only to invitations and this visitor came without a usable one. The
    /// first account of a new installation may always be made.
    /// </summary>
    private async Task<string?> Refused()
    {
        var settings = await site.Settings(HttpContext.RequestAborted);
        if (settings.Registration == Data.Admin.Registration.Open || !await users.Users.AnyAsync())
            return null;
        if (settings.Registration == Data.Admin.Registration.InvitationOnly && ReturnUrl is { } back
            && back.StartsWith(Paths.Invitation(""), StringComparison.Ordinal) && back[Paths.Invitation("").Length..] is { Length: > 0 } token
            && await db.Invitations.Where(i => i.TokenHash == Invitation.Hash(token)).ToListAsync() is [var invitation] && invitation.IsUsable(DateTime.UtcNow))
            return null;
        return settings.Registration == Data.Admin.Registration.Closed
            ? "Registration is closed here. Ask the site's administrator for an account."
            : "You need an invitation to join this site: open the invitation link you were sent, then create your account from there.";
    }

    private static string FieldFor(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)
            or nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => "Input.Email",
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => "Input.Password",
        _ => "",
    };

    private static string MessageFor(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)
            => "An account with this email already exists. Sign in instead?",
        _ => error.Description,
    };
}

public class RegisterInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address, like name@example.com.")]
    [StringLength(256, ErrorMessage = "Email addresses are at most {1} characters.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter the name people will see.")]
    [StringLength(User.DisplayNameMaxLength, ErrorMessage = "Display names are at most {1} characters.")]
    [SingleLine]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords need at least {2} characters (and at most {1}).")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
}
