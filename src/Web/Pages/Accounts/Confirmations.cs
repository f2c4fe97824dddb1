using System.Text;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>
/// With email set up, a new account is confirmed by a link sent to its address before it signs in, and
/// registering with an address that has an account already answers the same way (the address's owner
/// gets a note instead): the form tells nobody which addresses are taken. Emails go in the background,
/// so both answers take alike.
/// </summary>
public sealed class Confirmations(UserManager<User> users, EmailSender email, IOptions<AppOptions> app, Site site, IDataProtectionProvider protection)
{
    private const string BrowserCookie = "agentrooms-registered";

    private IDataProtector Protector => protection.CreateProtector("AgentRooms.Registered");
    public bool Required => email.IsConfigured;

    public async Task SendLink(User user, HttpRequest request, string? returnUrl)
    {
        var token = LinkTokens.Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = $"{app.Value.TrustedBaseUrl(request)}{Paths.ConfirmEmail}?user={Uri.EscapeDataString(user.Id)}&token={token}"
                   + (returnUrl is { Length: > 0 } ? $"&returnUrl={Uri.EscapeDataString(returnUrl)}" : "");
        var name = (await site.Settings()).Name;
        email.SendLater(user.Email!, $"Confirm your {name} account", $"""
            Hello {user.DisplayName},

            To finish creating your {name} account, open this link:

            {link}

            If you did not ask for an account, ignore this email: nothing happens without the link.
            """);
    }

    /// <summary>Someone registered with an address that has an account: its owner hears of it, and how to get in.</summary>
    public async Task SendAlreadyRegistered(User owner, HttpRequest request)
    {
        var name = (await site.Settings()).Name;
        var baseUrl = app.Value.TrustedBaseUrl(request);
        email.SendLater(owner.Email!, $"Your {name} account", $"""
            Hello {owner.DisplayName},

            Someone tried to create a {name} account with this address, which already has one. If it was you,
            sign in at {baseUrl}{Paths.SignIn}, or choose a new password at {baseUrl}{Paths.ForgotPassword}.

            If it wasn't you, nothing has changed and you need do nothing.
            """);
    }

    /// <summary>Confirms the address, once: a link whose address is already confirmed does nothing.</summary>
    public async Task<bool> Confirm(User user, string encodedToken) =>
        !user.EmailConfirmed && LinkTokens.Decode(encodedToken) is { } token && (await users.ConfirmEmailAsync(user, token)).Succeeded;

    /// <summary>
    /// Marks this browser as the one that registered the account (a signed cookie, for the link's
    /// lifetime): opening the link there signs in; anywhere else it only confirms, so a link forwarded,
    /// leaked or planted on someone else's browser signs nobody in.
    /// </summary>
    public void RememberBrowser(HttpResponse response, string userId) =>
        response.Cookies.Append(BrowserCookie, Protector.ToTimeLimitedDataProtector().Protect(userId, TimeSpan.FromDays(1)), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps, IsEssential = true,
            MaxAge = TimeSpan.FromDays(1), Path = Paths.ConfirmEmail,
        });

    /// <summary>Whether this browser registered <paramref name="userId"/> (and forgets it: it signs in once).</summary>
    public bool RegisteredHere(HttpContext http, string userId)
    {
        if (http.Request.Cookies[BrowserCookie] is not { } value)
            return false;
        http.Response.Cookies.Delete(BrowserCookie, new CookieOptions { Path = Paths.ConfirmEmail });
        try
        {
            return Protector.ToTimeLimitedDataProtector().Unprotect(value) == userId;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>Identity's tokens as they travel in a link's query (base64url).</summary>
public static class LinkTokens
{
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token, or null for a link that was cut or altered into something that is not one.</summary>
    public static string? Decode(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
