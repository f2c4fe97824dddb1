using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AgentRooms.Web.Features.Accounts;

public static class ReturnUrls
{
    public const string Home = Paths.Rooms;

    /// <summary>Only local paths are followed, so a crafted link cannot bounce anyone to another site.</summary>
    public static string SafeReturnUrl(this IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : Home;
}
