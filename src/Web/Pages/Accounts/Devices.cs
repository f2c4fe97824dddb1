namespace AgentRooms.Web.Pages.Accounts;

/// <summary>A browser's User-Agent as a person recognises it on their sessions list: "Firefox on Linux".</summary>
public static class Devices
{
    public static string Describe(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
            return "Unknown browser";
        var browser = Has(userAgent, "Edg/") ? "Edge" : Has(userAgent, "Firefox/") ? "Firefox"
            : Has(userAgent, "Chrome/") || Has(userAgent, "Chromium/") ? "Chrome" : Has(userAgent, "Safari/") ? "Safari" : "A browser";
        var system = Has(userAgent, "Android") ? "Android" : Has(userAgent, "iPhone") || Has(userAgent, "iPad") ? "iOS"
            : Has(userAgent, "Windows") ? "Windows" : Has(userAgent, "Mac OS X") ? "macOS" : Has(userAgent, "Linux") ? "Linux" : null;
        var text = system is null ? browser : $"{browser} on {system}";
        return text.Length > Data.Accounts.UserSession.DeviceMaxLength ? text[..Data.Accounts.UserSession.DeviceMaxLength] : text;
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
