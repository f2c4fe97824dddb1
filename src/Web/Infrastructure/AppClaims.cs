using System.Security.Claims;

namespace AgentRooms.Web.Infrastructure;

/// <summary>What the sign-in cookie carries beyond the user's id, read by pages and sockets without a query.</summary>
public static class AppClaims
{
    public const string DisplayName = "display_name";
    public const string SiteAdmin = "site_admin";

    public static string DisplayNameOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayName) ?? user.Identity?.Name ?? "";

    public static bool IsSiteAdmin(this ClaimsPrincipal user) => user.HasClaim(SiteAdmin, "true");
}
