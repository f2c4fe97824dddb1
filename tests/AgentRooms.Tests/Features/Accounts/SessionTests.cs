using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Accounts;

public sealed class SessionTestsOnSqlite(SqliteAppFactory app) : SessionTests(app), IClassFixture<SqliteAppFactory>;

public sealed class SessionTestsOnMariaDb(MariaDbAppFactory app) : SessionTests(app), IClassFixture<MariaDbAppFactory>;

public abstract class SessionTests(AppFactory app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/rooms")]
    [InlineData("/Account/Profile")]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_brought_back(string path)
    {
        using var visitor = app.NewVisitor();

        var page = await visitor.Get(path);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal($"/Account/Login?ReturnUrl={Uri.EscapeDataString(path)}",
            new Uri(new Uri("http://localhost"), page.Location).PathAndQuery);
    }

    [Fact]
    public async Task Anonymous_posts_are_refused_before_anything_changes()
    {
        using var visitor = app.NewVisitor();
        var form = await visitor.Get("/Account/Login");

        var profile = await visitor.Post("/Account/Profile", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.AntiforgeryToken("Sign in"),
            ["Input.DisplayName"] = "Nobody",
        });

        Assert.Equal(HttpStatusCode.Redirect, profile.Status);
        Assert.StartsWith("/Account/Login", new Uri(new Uri("http://localhost"), profile.Location).PathAndQuery);
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    [InlineData("/healthz")]
    public async Task Sign_in_registration_and_health_are_open_to_everyone(string path)
    {
        using var visitor = app.NewVisitor();

        Assert.Equal(HttpStatusCode.OK, (await visitor.Get(path)).Status);
    }

    [Fact]
    public async Task Health_reports_that_the_database_answers()
    {
        using var visitor = app.NewVisitor();

        var health = await visitor.Client.GetStringAsync("/healthz");

        Assert.Equal("healthy", health);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_refused()
    {
        var (visitor, email) = await app.SignedInPerson("Tokenless");

        var plain = await visitor.Post("/Account/Profile", new Dictionary<string, string> { ["Input.DisplayName"] = "Changed" });
        var asHtmx = new HttpRequestMessage(HttpMethod.Post, "/Account/Profile")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.DisplayName"] = "Changed" }),
        };
        asHtmx.Headers.Add("HX-Request", "true");
        var htmx = await visitor.Client.SendAsync(asHtmx);

        Assert.Equal(HttpStatusCode.BadRequest, plain.Status);
        Assert.Equal(HttpStatusCode.BadRequest, htmx.StatusCode);
        Assert.Equal("Tokenless", await DisplayNameOf(email));
    }

    [Fact]
    public async Task A_post_with_another_persons_antiforgery_token_is_refused()
    {
        var (mallory, _) = await app.SignedInPerson("Mallory");
        var (victim, victimEmail) = await app.SignedInPerson("Victim");
        var malloryToken = (await mallory.Get("/Account/Profile")).AntiforgeryToken("Save");

        var forged = await victim.Post("/Account/Profile", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = malloryToken,
            ["Input.DisplayName"] = "Owned",
        });

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal("Victim", await DisplayNameOf(victimEmail));
    }

    [Fact]
    public async Task Session_cookies_are_http_only_and_same_site_lax()
    {
        using var visitor = app.NewVisitor();

        var registered = await visitor.Register(People.NewEmail("cookie"), "Cookie");

        var session = SessionCookie(registered);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Session_cookies_are_secure_when_served_over_https()
    {
        using var visitor = app.NewVisitor("https://localhost");

        var registered = await visitor.Register(People.NewEmail("secure"), "Secure");

        Assert.Contains("secure", SessionCookie(registered).Split(';').Select(p => p.Trim().ToLowerInvariant()));
    }

    [Fact]
    public async Task A_cookie_copied_before_signing_out_is_refused_afterwards_and_other_devices_stay_signed_in()
    {
        var email = People.NewEmail("copied");
        using var laptop = app.NewVisitor();
        await laptop.Register(email, "Copied");
        using var phone = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await phone.SignIn(email)).Status);
        var copied = laptop.CookieHeader;
        // Renaming renews the cookie: a copy of the renewed one belongs to the same session.
        var renamed = await laptop.Submit("/Account/Profile", "Save", new Dictionary<string, string> { ["Input.DisplayName"] = "Copied again" });
        var copiedAfterRenewal = laptop.CookieHeader;

        var signedOut = await laptop.SignOut();

        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        foreach (var cookie in new[] { copied, copiedAfterRenewal })
        {
            using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/rooms");
            request.Headers.Add("Cookie", cookie);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
        }
        Assert.Equal(HttpStatusCode.Redirect, renamed.Status);
        Assert.Equal(HttpStatusCode.OK, (await phone.Get("/rooms")).Status);
        // A socket's sign-in is checked apart from its long-lived request, with the same answer.
        foreach (var cookie in new[] { copied, copiedAfterRenewal })
            Assert.Contains("401", (await Assert.ThrowsAnyAsync<Exception>(() => LiveSocket.OpenWithCookie(app, cookie))).Message);
        await using var phoneSocket = await LiveSocket.OpenWithCookie(app, phone.CookieHeader);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, phoneSocket.Socket.State);
    }

    [Fact]
    public async Task People_stay_signed_in_when_the_app_restarts()
    {
        using var visitor = app.NewVisitor();
        var registered = await visitor.Register(People.NewEmail("restart"), "Restarted");
        var cookie = SessionCookie(registered).Split(';')[0];

        using var restarted = app.Restarted();
        using var client = restarted.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rooms");
        request.Headers.Add("Cookie", cookie);
        var rooms = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, rooms.StatusCode);
        Assert.Contains("Restarted", await rooms.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/rooms")]
    public async Task Every_page_carries_a_strict_content_security_policy_and_no_referrer(string path)
    {
        var (visitor, _) = await app.SignedInPerson("Headers");

        var response = await visitor.Client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static string SessionCookie(Visitor.Page page) =>
        page.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("agentrooms=", StringComparison.Ordinal));

    private async Task<string> DisplayNameOf(string email) =>
        (await app.WithDb(db => db.Users.SingleAsync(u => u.Email == email))).DisplayName;
}
