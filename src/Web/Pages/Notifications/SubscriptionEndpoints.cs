using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentRooms.Data;
using AgentRooms.Data.Notifications;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Notifications;

/// <summary>
/// <c>GET /notifications/key</c>: the site's public key. <c>POST /notifications/subscriptions</c>: the browser's subscription as <c>PushSubscription.toJSON()</c>
/// gives it; <c>POST /notifications/subscriptions/remove</c>: <c>{ endpoint }</c>. The profile page's
/// script calls both, the antiforgery token in a header.
/// </summary>
public static class SubscriptionEndpoints
{
    private const int MaxBody = 8 * 1024;

    public sealed record Keys(string? P256dh, string? Auth);

    public sealed record Subscription(string? Endpoint, Keys? Keys);

    public static void MapNotifications(this WebApplication app)
    {
        // The site's public key, which a browser's subscription is made for.
        app.MapGet(Paths.PushKey, async (VapidKeys keys, CancellationToken cancel) => Results.Json(new { key = (await keys.Get(cancel)).PublicKey }));
        app.MapPost(Paths.PushSubscribe, Subscribe);
        app.MapPost(Paths.PushUnsubscribe, Unsubscribe);
    }

    private static async Task<IResult> Subscribe(HttpContext http, AppDbContext db, IAntiforgery antiforgery, IOptions<PushOptions> options, PushNotifier notifier)
    {
        if (await Read(http, antiforgery) is not { } read)
            return Refused("Reload the page and try again.", StatusCodes.Status400BadRequest);
        if (read.Value is not { Endpoint: { } endpoint, Keys: { P256dh: { } p256dh, Auth: { } auth } })
            return Refused("That is not a push subscription.", StatusCodes.Status422UnprocessableEntity);
        if (endpoint.Length > PushSubscription.EndpointMaxLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var address)
            || !options.Value.Allows(address))
            return Refused("This browser's push service is not one this site sends to.", StatusCodes.Status422UnprocessableEntity);
        if (!IsKey(p256dh, 65, first: 0x04) || !IsKey(auth, 16) || !IsOnCurve(p256dh))
            return Refused("The subscription's keys are not valid.", StatusCodes.Status422UnprocessableEntity);

        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var hash = Hash(endpoint);
        // One browser is one subscription: subscribing again (or as someone else on that browser) replaces it.
        await db.PushSubscriptions.Where(s => s.EndpointHash == hash).ExecuteDeleteAsync(http.RequestAborted);
        db.PushSubscriptions.Add(new PushSubscription
        {
            UserId = userId, SessionId = http.User.FindFirstValue("session"), Endpoint = endpoint, EndpointHash = hash, P256dh = p256dh, Auth = auth,
        });
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // The same browser subscribing twice at once: one of them stands.
        }
        var extra = await db.PushSubscriptions.Where(s => s.UserId == userId).OrderByDescending(s => s.Id)
            .Skip(options.Value.MaxPerPerson).Select(s => s.Id).ToListAsync(http.RequestAborted);
        if (extra.Count > 0)
            await db.PushSubscriptions.Where(s => extra.Contains(s.Id)).ExecuteDeleteAsync(http.RequestAborted);
        notifier.SubscriptionsChanged();
        return Results.NoContent();
    }

    private static async Task<IResult> Unsubscribe(HttpContext http, AppDbContext db, IAntiforgery antiforgery)
    {
        if (await Read(http, antiforgery) is not { } read)
            return Refused("Reload the page and try again.", StatusCodes.Status400BadRequest);
        if (read.Value?.Endpoint is not { } endpoint)
            return Refused("That is not a push subscription.", StatusCodes.Status422UnprocessableEntity);
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var hash = Hash(endpoint);
        await db.PushSubscriptions.Where(s => s.EndpointHash == hash && s.UserId == userId).ExecuteDeleteAsync(http.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>Null when the token is missing or wrong; a body that is not the JSON expected reads as a null value.</summary>
    private static async Task<Box?> Read(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return null;
        if (http.Request.ContentLength > MaxBody)
            return new Box(null);
        // At most MaxBody bytes are read, whatever the request says of its length.
        if (await BoundedRead.AtMost(http.Request.Body, MaxBody, http.RequestAborted) is not { Count: > 0 } body)
            return new Box(null);
        try
        {
            return new Box(JsonSerializer.Deserialize<Subscription>(body, JsonSerializerOptions.Web));
        }
        catch (JsonException)
        {
            return new Box(null);
        }
    }

    private sealed record Box(Subscription? Value);

    private static IResult Refused(string error, int status) => Results.Json(new { error }, statusCode: status);

    private static bool IsKey(string value, int length, byte? first = null)
    {
        if (value.Length > PushSubscription.KeyMaxLength)
            return false;
        try
        {
            var bytes = Base64Url.DecodeFromChars(value.TrimEnd('='));
            return bytes.Length == length && (first is null || bytes[0] == first);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The browser's key is a point of P-256: a key off the curve could never be encrypted to, so it is
    /// refused here rather than failing at every message.
    /// </summary>
    private static bool IsOnCurve(string p256dh)
    {
        var point = Base64Url.DecodeFromChars(p256dh.TrimEnd('='));
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..65] },
            });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static string Hash(string endpoint) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)));
}
