using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// Links that set a new password: signed by the app (Identity's data-protection token), good for
/// <see cref="Lifetime"/>, and once only (using one changes the account's security stamp, which every
/// other link and session was made with).
/// </summary>
public sealed class PasswordResets(UserManager<User> users, EmailSender email, IOptions<AppOptions> app, Site site)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>A link for an administrator to hand over: shown to them alone, on the address they used.</summary>
    public Task<string> Link(User user, HttpRequest request) => Link(user, app.Value.BaseUrl(request));

    private async Task<string> Link(User user, string baseUrl)
    {
        var token = LinkTokens.Encode(await users.GeneratePasswordResetTokenAsync(user));
        return $"{baseUrl}{Paths.ResetPassword}?user={Uri.EscapeDataString(user.Id)}&token={token}";
    }

    /// <summary>
    /// Emails the person a link, in the background. For an address with no active account
    /// (<paramref name="user"/> null) the same work is done for a stand-in and nothing is sent, so the
    /// page answers alike, and as fast, either way.
    /// </summary>
    public async Task Send(User? user, HttpRequest request)
    {
        var real = user is not null;
        user ??= new User { Id = Guid.NewGuid().ToString(), SecurityStamp = Guid.NewGuid().ToString("N"), DisplayName = "", Email = "" };
        var link = await Link(user, app.Value.TrustedBaseUrl(request));
        var name = (await site.Settings()).Name;
        var text = $"""
            Hello {user.DisplayName},

            Someone, hopefully you, asked to reset the password of your {name} account ({user.Email}).
            To choose a new password, open this link within an hour. It works once:

            {link}

            If it wasn't you, ignore this email: your password stays as it is.
            """;
        if (real)
            email.SendLater(user.Email!, $"Reset your {name} password", text);
    }

    public async Task<IdentityResult> Reset(User user, string encodedToken, string password)
    {
        if (LinkTokens.Decode(encodedToken) is not { } token)
            return IdentityResult.Failed(new IdentityError { Code = "InvalidToken", Description = "The link is broken." });
        var result = await users.ResetPasswordAsync(user, token, password);
        if (result.Succeeded && !user.EmailConfirmed)
        {
            // The link came to the address (or from an administrator): it is the person's.
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        return result;
    }
}
