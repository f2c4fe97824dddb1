using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Account;

public class LoginModel(UserManager<User> users, SignInManager<User> signIn) : PageModel
{
    /// <summary>One message for every failure, so it reveals neither which accounts exist nor which are locked.</summary>
    public const string FailedMessage =
        "That email and password did not match. After several failed tries, sign-in pauses for a few minutes.";

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return this.InvalidForm();

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: true, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", FailedMessage);
            return this.InvalidForm();
        }

        return LocalRedirect(Url.SafeReturnUrl(ReturnUrl));
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
