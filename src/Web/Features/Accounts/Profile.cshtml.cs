using AgentRooms.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Features.Accounts;

public class ProfileModel(UserManager<User> users, SignInManager<User> signIn, IEnumerable<IProfileChanges> changes) : PageModel
{
    [BindProperty]
    public ProfileInput Input { get; set; } = new();

    public string Email { get; private set; } = "";

    [TempData]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return Challenge();
        Email = user.Email ?? "";
        Input.DisplayName = user.DisplayName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return Challenge();
        Email = user.Email ?? "";
        if (!ModelState.IsValid)
            return this.InvalidForm();

        user.DisplayName = Input.DisplayName.Trim();
        await users.UpdateAsync(user);
        // The display name travels in the cookie; issue a fresh one.
        await signIn.RefreshSignInAsync(user);
        foreach (var change in changes)
            await change.Renamed(user.Id);
        Saved = "Your display name is saved.";
        return RedirectToPage();
    }
}

/// <summary>Told when a person's profile changes (the Members feature updates the member lists that show them).</summary>
public interface IProfileChanges
{
    Task Renamed(string userId);
}

public class ProfileInput
{
    [Required(ErrorMessage = "Enter the name people will see.")]
    [StringLength(User.DisplayNameMaxLength, ErrorMessage = "Display names are at most {1} characters.")]
    [SingleLine]
    public string DisplayName { get; set; } = "";
}
