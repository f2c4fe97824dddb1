using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentRooms.Tests.Support;

/// <summary>One request a push service received: to whom (the subscription's path), its VAPID header, its encrypted body.</summary>
public sealed record PushDelivery(string Path, string Authorization, string Topic, string Encoding, byte[] Body);

/// <summary>
/// A push service on loopback, as the browsers' are (FCM, Mozilla's, Apple's): it takes encrypted
/// messages for subscriptions at <c>/push/{id}</c>, keeps them, and answers 201, or 410 for a
/// subscription it was told is gone.
/// </summary>
public sealed class PushService : IAsyncLifetime
{
    private WebApplication? server;

    public string Origin { get; private set; } = "";
    public ConcurrentQueue<PushDelivery> Deliveries { get; } = new();
    public ConcurrentDictionary<string, bool> Gone { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        server = builder.Build();
        server.MapPost("/push/{id}", async (string id, HttpContext context) =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            Deliveries.Enqueue(new PushDelivery(context.Request.Path, context.Request.Headers.Authorization.ToString(),
                context.Request.Headers["Topic"].ToString(), context.Request.Headers.ContentEncoding.ToString(), body.ToArray()));
            return Gone.ContainsKey(id) ? Results.StatusCode(StatusCodes.Status410Gone) : Results.StatusCode(StatusCodes.Status201Created);
        });
        await server.StartAsync();
        Origin = server.Urls.Single().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }

    /// <summary>Waits for the next delivery to <paramref name="browser"/>, and reads it as the browser would.</summary>
    public async Task<JsonElement> Next(PushBrowser browser, TimeSpan? wait = null)
    {
        await Eventually.True(() => Deliveries.Count(d => d.Path == browser.Path) > browser.Read, wait, $"a push to {browser.Path}");
        return browser.Open(Deliveries.Where(d => d.Path == browser.Path).ElementAt(browser.Read++));
    }

    public int CountFor(PushBrowser browser) => Deliveries.Count(d => d.Path == browser.Path);
}

/// <summary>A browser's side of a subscription: its keys, and the decryption of what arrives (RFC 8291, aes128gcm).</summary>
public sealed class PushBrowser(PushService service) : IDisposable
{
    private readonly ECDiffieHellman key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] auth = RandomNumberGenerator.GetBytes(16);

    public string Path { get; } = $"/push/{Guid.NewGuid():N}";
    public string Endpoint => service.Origin + Path;
    public int Read { get; set; }

    private byte[] PublicKey
    {
        get
        {
            var q = key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    /// <summary>What <c>PushSubscription.toJSON()</c> gives.</summary>
    public object Json => new { endpoint = Endpoint, expirationTime = (long?)null, keys = new { p256dh = Base64Url.EncodeToString(PublicKey), auth = Base64Url.EncodeToString(auth) } };

    public async Task<HttpStatusCode> Subscribe(Visitor visitor, object? json = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notifications/subscriptions") { Content = JsonContent.Create(json ?? Json) };
        request.Headers.Add("RequestVerificationToken", await visitor.AnyToken());
        using var response = await visitor.Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The payload, after checking that it was encrypted for this browser and signed with the site's key.</summary>
    public JsonElement Open(PushDelivery delivery)
    {
        Assert.Equal("aes128gcm", delivery.Encoding);
        var body = delivery.Body;
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        Assert.True(recordSize >= body.Length - 86, "one record");
        int idLength = body[20];
        var serverKey = body[21..(21 + idLength)];
        var cipher = body[(21 + idLength)..];

        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverKey[1..33], Y = serverKey[33..65] },
        });
        var shared = key.DeriveRawSecretAgreement(server.PublicKey);
        var keyInfo = "WebPush: info\0"u8.ToArray().Concat(PublicKey).Concat(serverKey).Append((byte)1).ToArray();
        var ikm = HMACSHA256.HashData(HMACSHA256.HashData(auth, shared), keyInfo);
        var prk = HMACSHA256.HashData(salt, ikm);
        var contentKey = HMACSHA256.HashData(prk, "Content-Encoding: aes128gcm\0\u0001"u8.ToArray())[..16];
        var nonce = HMACSHA256.HashData(prk, "Content-Encoding: nonce\0\u0001"u8.ToArray())[..12];
        var plain = new byte[cipher.Length - 16];
        using (var aes = new AesGcm(contentKey, 16))
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
        var end = Array.FindLastIndex(plain, b => b != 0);
        Assert.Equal(2, plain[end]); // the last record's delimiter, then padding
        return JsonDocument.Parse(plain.AsMemory(0, end)).RootElement.Clone();
    }

    /// <summary>The VAPID header: a JWT for the push service's origin, signed (ES256) with the key it names, which must be <paramref name="siteKey"/>.</summary>
    public static void AssertSigned(PushDelivery delivery, string siteKey, string audience)
    {
        var parts = delivery.Authorization.Split(' ', 2);
        Assert.Equal("vapid", parts[0]);
        var fields = parts[1].Split(',').Select(f => f.Trim().Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal(siteKey, fields["k"]);
        var jwt = fields["t"].Split('.');
        var point = Base64Url.DecodeFromChars(siteKey);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] },
        });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256));
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[1])).RootElement;
        Assert.Equal(audience, claims.GetProperty("aud").GetString());
    }

    public void Dispose() => key.Dispose();
}
