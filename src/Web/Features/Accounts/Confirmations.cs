using System.Text;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Features.Accounts;

/// <summary>
/// With email set up, a new account is confirmed by a link sent to its address before it signs in, and
/// registering with an address that has an account already answers the same way (the address's owner
/// gets a note instead): the form tells nobody which addresses are taken. Emails go in the background,
/// so both answers take alike.
/// </summary>
public sealed class Confirmations(UserManager<User> users, EmailSender email, IOptions<AppOptions> app, Site site)
{
    public bool Required => email.IsConfigured;

    public async Task SendLink(User user, HttpRequest request, string? returnUrl)
    {
        var token = LinkTokens.Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = $"{app.Value.BaseUrl(request)}{Paths.ConfirmEmail}?user={Uri.EscapeDataString(user.Id)}&token={token}"
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
        var baseUrl = app.Value.BaseUrl(request);
        email.SendLater(owner.Email!, $"Your {name} account", $"""
            Hello {owner.DisplayName},

            Someone tried to create a {name} account with this address, which already has one. If it was you,
            sign in at {baseUrl}{Paths.SignIn}, or choose a new password at {baseUrl}{Paths.ForgotPassword}.

            If it wasn't you, nothing has changed and you need do nothing.
            """);
    }

    public async Task<bool> Confirm(User user, string encodedToken) =>
        LinkTokens.Decode(encodedToken) is { } token && (await users.ConfirmEmailAsync(user, token)).Succeeded;
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
