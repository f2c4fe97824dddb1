using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// Every setting is bound to an options class and checked when the app starts; a wrong value stops the
/// start with a message naming the setting. Settings that decide how the app is built (before its
/// services exist) are bound the same way, and read back at once with <see cref="Read{T}"/>.
/// </summary>
public static class Settings
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="T"/> for the app's services (checked on
    /// start) and returns its value now, checked already.
    /// </summary>
    public static T Read<T>(this WebApplicationBuilder builder, string section, Func<T, bool> valid, string failure) where T : class, new()
    {
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).Validate(valid, failure).ValidateOnStart();
        var value = builder.Configuration.GetSection(section).Get<T>() ?? new T();
        return valid(value) ? value : throw new OptionsValidationException(section, typeof(T), [failure]);
    }

    /// <summary>As <see cref="Read{T}(WebApplicationBuilder, string, Func{T, bool}, string)"/>, for a section any value of which is valid.</summary>
    public static T Read<T>(this WebApplicationBuilder builder, string section) where T : class, new() =>
        builder.Read<T>(section, _ => true, "");
}

/// <summary>The <c>Data</c> settings: where a node keeps its files (<see cref="DataFolder"/>).</summary>
public sealed class DataOptions
{
    /// <summary>The folder for the SQLite database, the job queue and uploads; App_Data beside the app when empty.</summary>
    public string? Path { get; set; }
}

/// <summary>The <c>Metrics</c> settings.</summary>
public sealed class MetricsOptions
{
    /// <summary>Who may read <c>/metrics</c>: IP addresses, comma-separated (loopback by default).</summary>
    public string AllowedAddresses { get; set; } = "127.0.0.1,::1";

    public IReadOnlySet<System.Net.IPAddress> Allowed => Addresses.Parse(AllowedAddresses)!.ToHashSet();
}

/// <summary>The <c>ForwardedHeaders</c> settings.</summary>
public sealed class ProxyOptions
{
    /// <summary>The reverse proxies whose <c>X-Forwarded-*</c> headers are believed, comma-separated IP addresses; loopback when empty.</summary>
    public string? KnownProxies { get; set; }
}

/// <summary>The <c>Logging</c> section's own setting of this app (the rest is ASP.NET Core's).</summary>
public sealed class LogFormatOptions
{
    /// <summary>Logs as JSON lines rather than text.</summary>
    public bool Json { get; set; }
}

internal static class Addresses
{
    /// <summary>A comma-separated list of IP addresses; null when one of them is not one.</summary>
    public static List<System.Net.IPAddress>? Parse(string? list)
    {
        var addresses = new List<System.Net.IPAddress>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!System.Net.IPAddress.TryParse(entry, out var address))
                return null;
            addresses.Add(address);
        }
        return addresses;
    }
}
