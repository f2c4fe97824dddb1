namespace AgentRooms.Web.Pages.Notifications;

/// <summary>Settings under <c>Push:</c>.</summary>
public sealed class PushOptions
{
    /// <summary>Who runs this site, for push services (a <c>mailto:</c> or <c>https:</c> address); by default <c>App:PublicUrl</c>.</summary>
    public string? Subject { get; set; }

    /// <summary>
    /// Push services the server will send to, comma-separated (scheme, host, optional port; a host
    /// may start with <c>*.</c>). A browser's subscription names an address the server then posts to,
    /// so only known push services are taken: never an address inside the network.
    /// </summary>
    public string AllowedEndpoints { get; set; } =
        "https://fcm.googleapis.com, https://updates.push.services.mozilla.com, https://*.push.services.mozilla.com, " +
        "https://web.push.apple.com, https://*.push.apple.com, https://*.notify.windows.com";

    /// <summary>Browsers one person may have subscribed at once; a new one past it replaces their oldest.</summary>
    public int MaxPerPerson { get; set; } = 10;

    /// <summary>Whether the server may post to <paramref name="endpoint"/>.</summary>
    public bool Allows(Uri endpoint) =>
        AllowedEndpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(allowed =>
        {
            var wildcard = allowed.Contains("://*.");
            if (!Uri.TryCreate(allowed.Replace("://*.", "://"), UriKind.Absolute, out var pattern))
                return false;
            var host = endpoint.IdnHost;
            return endpoint.Scheme == pattern.Scheme && endpoint.Port == pattern.Port && string.IsNullOrEmpty(endpoint.UserInfo)
                   && (wildcard ? host.EndsWith("." + pattern.IdnHost, StringComparison.OrdinalIgnoreCase) : host.Equals(pattern.IdnHost, StringComparison.OrdinalIgnoreCase));
        });
}
