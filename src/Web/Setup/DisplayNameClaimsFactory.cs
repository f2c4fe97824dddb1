using System.Security.Claims;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Setup;

/// <summary>Puts the display name in the cookie so the layout can greet without a query.</summary>
public sealed class DisplayNameClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    public const string DisplayNameClaim = "display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        if (user.IsSiteAdmin)
            identity.AddClaim(new Claim(AgentSetup.SiteAdminClaim, "true"));
        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaimsFactory.DisplayNameClaim) ?? user.Identity?.Name ?? "";
}
