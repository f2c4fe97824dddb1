using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AgentRooms.Web.Pages.Accounts;

public static class ReturnUrls
{
    public const string Home = Paths.Rooms;

    /// <summary>Only local paths are followed, so a crafted link cannot bounce anyone to another site.</summary>
    public static string SafeReturnUrl(this IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : Home;
}

/// <summary>
/// Where someone goes just after creating an account or signing in, when the address they came
/// back to asks for something (an invitation link: joining its room). Features register one; the
/// first that recognises the address does it and says where to go instead.
/// </summary>
public interface IArrival
{
    /// <summary>The address to go to instead of <paramref name="returnUrl"/>, having done what it asked; null when the address is not this one's.</summary>
    Task<string?> Arrive(string returnUrl, string userId);
}

public static class Arrivals
{
    public static async Task<string> After(IEnumerable<IArrival> arrivals, IUrlHelper url, string? returnUrl, string userId)
    {
        var safe = url.SafeReturnUrl(returnUrl);
        foreach (var arrival in arrivals)
            if (await arrival.Arrive(safe, userId) is { } instead)
                return instead;
        return safe;
    }
}

