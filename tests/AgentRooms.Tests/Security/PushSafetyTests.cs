using System.Net;
using System.Net.Sockets;
using System.Buffers.Text;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Security;

public sealed class PushSafetyTestsOnSqlite(SqliteAppFactory app, PushService push)
    : PushSafetyTests(app, push), IClassFixture<SqliteAppFactory>, IClassFixture<PushService>;

public sealed class PushSafetyTestsOnMariaDb(MariaDbAppFactory app, PushService push)
    : PushSafetyTests(app, push), IClassFixture<MariaDbAppFactory>, IClassFixture<PushService>;

/// <summary>A push subscription cannot break notifications for others, and the push client goes nowhere but where the allow-list says.</summary>
public abstract class PushSafetyTests
{
    private readonly AppFactory app;
    private readonly PushService push;

    protected PushSafetyTests(AppFactory app, PushService push)
    {
        (this.app, this.push) = (app, push);
        app.Settings["Push:AllowedEndpoints"] = push.Origin;
    }

    [Fact]
    public async Task A_key_off_the_curve_is_refused_at_subscription()
    {
        var (alice, _) = await app.SignedInPerson("Alice Curve");
        using var browser = new PushBrowser(push);
        var offCurve = new byte[65];
        offCurve[0] = 0x04;
        offCurve[64] = 0x07; // (0, 7) is not a point of P-256

        var status = await browser.Subscribe(alice, new
        {
            endpoint = browser.Endpoint,
            keys = new { p256dh = Base64Url.EncodeToString(offCurve), auth = Base64Url.EncodeToString(new byte[16]) },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }

    [Fact]
    public async Task One_subscription_that_cannot_be_sent_to_does_not_stop_the_others()
    {
        var (alice, _) = await app.SignedInPerson("Alice Sends Push");
        var (bob, bobEmail) = await app.SignedInPerson("Bob Bad Key");
        var (carol, _) = await app.SignedInPerson("Carol Good Key");
        var roomId = await alice.CreateRoom("Push isolation", "Public");
        await bob.Join(roomId);
        await carol.Join(roomId);
        using var broken = new PushBrowser(push);
        using var good = new PushBrowser(push);
        var offCurve = new byte[65];
        (offCurve[0], offCurve[64]) = (0x04, 0x07);
        // Saved before subscriptions were checked: it stands first in line.
        await app.WithDb(async db =>
        {
            db.PushSubscriptions.Add(new AgentRooms.Data.Notifications.PushSubscription
            {
                UserId = db.Users.Single(u => u.Email == bobEmail).Id, Endpoint = broken.Endpoint, EndpointHash = SubscriptionEndpoints.Hash(broken.Endpoint),
                P256dh = Base64Url.EncodeToString(offCurve), Auth = Base64Url.EncodeToString(new byte[16]),
            });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.NoContent, await good.Subscribe(carol));

        await alice.Send(roomId, "For @bob-bad-key and @carol-good-key");

        var note = await push.Next(good, TimeSpan.FromSeconds(20));
        Assert.Contains("For @bob-bad-key", note.GetProperty("body").GetString());
    }

    [Fact]
    public async Task The_push_client_does_not_follow_redirects()
    {
        // Where the redirect points: a listener that would see the client arrive, were it followed.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var redirecting = new HttpListenerRedirect($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/internal");
        var http = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(PushNotifier.HttpClientName);

        using var answer = await http.PostAsync(redirecting.Url, new StringContent("x"));

        // A client that followed would have connected there before answering: the 302 is its answer.
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.False(listener.Pending());
    }

    /// <summary>A server on loopback that answers every request with a redirect to <paramref name="target"/>.</summary>
    private sealed class HttpListenerRedirect : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();

        public HttpListenerRedirect(string target)
        {
            listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/push/endpoint";
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, stop.Token);
                    await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), stop.Token);
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
