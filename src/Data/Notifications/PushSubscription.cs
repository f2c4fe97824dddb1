using AgentRooms.Data.Accounts;

namespace AgentRooms.Data.Notifications;

/// <summary>
/// One browser's Web Push subscription for one person: where the push service takes messages for
/// it, and the keys its payloads are encrypted to. Removed when the push service says it is gone.
/// </summary>
public class PushSubscription
{
    public const int EndpointMaxLength = 1000;
    public const int KeyMaxLength = 200;

    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public User? User { get; set; }

    /// <summary>The push service's address for this browser (it identifies the subscription).</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>SHA-256 of <see cref="Endpoint"/>, hex: the unique key (an address is too long to index everywhere).</summary>
    public string EndpointHash { get; set; } = "";

    /// <summary>The browser's P-256 public key, base64url.</summary>
    public string P256dh { get; set; } = "";

    /// <summary>The browser's authentication secret, base64url.</summary>
    public string Auth { get; set; } = "";

    /// <summary>The sign-in it was made in: signing that session out removes it (the browser no longer hears for the person).</summary>
    public string? SessionId { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>A value the site makes for itself once and keeps (such as its Web Push key pair).</summary>
public class SiteKey
{
    public const int NameMaxLength = 64;
    public const int ValueMaxLength = 500;

    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}
