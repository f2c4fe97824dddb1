using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Infrastructure;

/// <summary>The <c>App</c> settings.</summary>
public sealed class AppOptions
{
    /// <summary>
    /// The address people use, e.g. https://chat.example.com (<c>App:PublicUrl</c>): invite links are
    /// made with it and sockets are accepted from its origin. Unset: the address of the request.
    /// </summary>
    public string? PublicUrl { get; set; }

    public Uri? PublicUri => Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>
    /// Scheme, host and any path the app is served under, without a trailing slash: <c>App:PublicUrl</c>,
    /// or else the request's own. Only for links shown to the person who made the request (an invite
    /// link on its maker's page); links sent to anyone else use <see cref="TrustedBaseUrl"/>.
    /// </summary>
    public string BaseUrl(HttpRequest request) => PublicUri is { } uri
        ? uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/')
        : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>
    /// The base for links that reach other people (emails): <c>App:PublicUrl</c>, or the request's
    /// address when <c>AllowedHosts</c> limits the hosts the site answers to (the host filter has then
    /// refused any other). Never a Host header nobody vouched for: start-up refuses email without one of them.
    /// </summary>
    public string TrustedBaseUrl(HttpRequest request) =>
        PublicUri is not null || HostsRestricted ? BaseUrl(request)
            : throw new InvalidOperationException("Links for email need App:PublicUrl or AllowedHosts.");

    /// <summary><c>AllowedHosts</c> names hosts (not <c>*</c>).</summary>
    public bool HostsRestricted { get; set; }

    public static bool LinksAreTrusted(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["App:PublicUrl"]) || Restricts(configuration["AllowedHosts"]);

    private static bool Restricts(string? allowedHosts) =>
        allowedHosts?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } hosts && !hosts.Contains("*");

    /// <summary>Whether a page on <paramref name="origin"/> is ours: the request's own origin, or the public one.</summary>
    public bool IsOwnOrigin(string origin, HttpRequest request) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || (PublicUri is { } uri && string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));

    public static void Add(WebApplicationBuilder builder) =>
        builder.Services.AddOptions<AppOptions>().Bind(builder.Configuration.GetSection("App"))
            .Configure(o => o.HostsRestricted = Restricts(builder.Configuration["AllowedHosts"]))
            .Validate(o => string.IsNullOrEmpty(o.PublicUrl) || o.PublicUri is { Scheme: "http" or "https" },
                "App:PublicUrl must be an absolute http or https address, such as https://chat.example.com")
            .ValidateOnStart();
}
