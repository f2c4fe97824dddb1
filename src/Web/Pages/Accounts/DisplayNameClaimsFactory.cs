using System.Security.Claims;
using AgentRooms.Data.Accounts;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Accounts;

/// <summary>Puts the display name in the cookie so the layout can greet without a query.</summary>
public sealed class DisplayNameClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaims.DisplayName, user.DisplayName));
        if (user.IsSiteAdmin)
            identity.AddClaim(new Claim(AppClaims.SiteAdmin, "true"));
        return identity;
    }
}
