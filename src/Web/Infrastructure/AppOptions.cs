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

    /// <summary>Scheme, host and any path the app is served under, without a trailing slash.</summary>
    public string BaseUrl(HttpRequest request) => PublicUri is { } uri
        ? uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/')
        : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>Whether a page on <paramref name="origin"/> is ours: the request's own origin, or the public one.</summary>
    public bool IsOwnOrigin(string origin, HttpRequest request) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || (PublicUri is { } uri && string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));

    public static void Add(WebApplicationBuilder builder) =>
        builder.Services.AddOptions<AppOptions>().Bind(builder.Configuration.GetSection("App"))
            .Validate(o => string.IsNullOrEmpty(o.PublicUrl) || o.PublicUri is { Scheme: "http" or "https" },
                "App:PublicUrl must be an absolute http or https address, such as https://chat.example.com")
            .ValidateOnStart();
}
