using AgentRooms.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// One's own account: the display name, a new password (the current one first; every other session
/// ends), and where one is signed in, with a way to end any of it or all of it.
/// </summary>
public class ProfileModel(UserManager<User> users, SignInManager<User> signIn, AccountSessions sessions, IEnumerable<IProfileChanges> changes) : PageModel
{
    [BindProperty]
    public ProfileInput Input { get; set; } = new();

    [BindProperty]
    public PasswordInput Password { get; set; } = new();

    public string Email { get; private set; } = "";

    public IReadOnlyList<UserSession> SignedIn { get; private set; } = [];

    public string? ThisSession => Sessions.Of(User);

    [TempData]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await Load() is not { } user)
            return Challenge();
        Input.DisplayName = user.DisplayName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await Load() is not { } user)
            return Challenge();
        if (!Valid(nameof(Input)))
            return this.InvalidForm();

        var name = Input.DisplayName.Trim();
        foreach (var change in changes)
            if (name != user.DisplayName && await change.RenameRefusal(user.Id, name) is { } refusal)
            {
                ModelState.AddModelError("Input.DisplayName", refusal);
                return this.InvalidForm();
            }
        user.DisplayName = name;
        await users.UpdateAsync(user);
        // The display name travels in the cookie; issue a fresh one.
        await signIn.RefreshSignInAsync(user);
        foreach (var change in changes)
            await change.Renamed(user.Id);
        Saved = "Your display name is saved.";
        return RedirectToPage();
    }

    /// <summary>A new password: the current one proves it is the person; every other session ends, this one goes on.</summary>
    public async Task<IActionResult> OnPostPasswordAsync()
    {
        if (await Load() is not { } user)
            return Challenge();
        Input.DisplayName = user.DisplayName;
        if (!Valid(nameof(Password)))
            return this.InvalidForm();
        var result = await users.ChangePasswordAsync(user, Password.Current, Password.New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? "Password.Current" : "Password.New",
                    error.Code == "PasswordMismatch" ? "That is not your current password." : error.Description);
            return this.InvalidForm();
        }
        await sessions.EndAll(user, keep: ThisSession, stampChanged: true);
        // This browser's cookie was made with the old security stamp: a fresh one keeps it signed in.
        await signIn.RefreshSignInAsync(user);
        Saved = "Your password is changed. You are signed out everywhere else.";
        return RedirectToPage();
    }

    /// <summary>Ends one of the person's other sessions.</summary>
    public async Task<IActionResult> OnPostEndSessionAsync(string id)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (id == ThisSession || !await sessions.End(userId, id))
            return NotFound();
        Saved = "That session is signed out.";
        return RedirectToPage();
    }

    /// <summary>Every session ends, this one too.</summary>
    public async Task<IActionResult> OnPostEverywhereAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
            return Challenge();
        await sessions.EndAll(user);
        await signIn.SignOutAsync();
        return Redirect(Paths.SignIn);
    }

    private async Task<User?> Load()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return null;
        Email = user.Email ?? "";
        SignedIn = await sessions.Of(user.Id);
        return user;
    }

    /// <summary>Whether the form that was sent is valid (the page holds two forms; the other's fields are not checked).</summary>
    private bool Valid(string form)
    {
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith(form + ".", StringComparison.Ordinal)).ToList())
            ModelState.Remove(key);
        return ModelState.IsValid;
    }
}

/// <summary>Told when a person's profile changes (the Members feature updates the member lists that show them).</summary>
public interface IProfileChanges
{
    /// <summary>Why <paramref name="name"/> may not be the person's name, or null.</summary>
    Task<string?> RenameRefusal(string userId, string name);

    Task Renamed(string userId);
}

public class ProfileInput
{
    [Required(ErrorMessage = "Enter the name people will see.")]
    [StringLength(User.DisplayNameMaxLength, ErrorMessage = "Display names are at most {1} characters.")]
    [SingleLine]
    public string DisplayName { get; set; } = "";
}

public class PasswordInput
{
    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(128)]
    [DataType(DataType.Password)]
    public string Current { get; set; } = "";

    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords are at least {2} characters.")]
    [DataType(DataType.Password)]
    public string New { get; set; } = "";

    [Required(ErrorMessage = "Type the new password again.")]
    [Compare(nameof(New), ErrorMessage = "The two new passwords differ.")]
    [DataType(DataType.Password)]
    public string Confirm { get; set; } = "";
}
