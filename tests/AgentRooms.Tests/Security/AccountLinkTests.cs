using System.Net;
using System.Text.RegularExpressions;
using AgentRooms.Data.Accounts;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentRooms.Tests.Security;

public sealed class AccountLinkTestsOnSqlite(SqliteAppFactory app, FakeSmtpServer smtp)
    : AccountLinkTests(app, smtp), IClassFixture<SqliteAppFactory>, IClassFixture<FakeSmtpServer>;

public sealed class AccountLinkTestsOnMariaDb(MariaDbAppFactory app, FakeSmtpServer smtp)
    : AccountLinkTests(app, smtp), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeSmtpServer>;

/// <summary>
/// Links the site emails: they name the site's own address whatever Host a request claims, a
/// confirmation link confirms once and signs in only the browser that registered, and asking for a
/// reset link does the same work whether the address has an account or not.
/// </summary>
public abstract partial class AccountLinkTests
{
    private readonly AppFactory app;
    private readonly FakeSmtpServer smtp;

    protected AccountLinkTests(AppFactory app, FakeSmtpServer smtp)
    {
        (this.app, this.smtp) = (app, smtp);
        foreach (var (key, value) in smtp.Settings)
            app.Settings[key] = value;
        app.Settings["App:PublicUrl"] = "https://chat.example.org";
        app.Settings["AllowedHosts"] = "*";
        app.Settings["Limits:PasswordResetsPerHour"] = "1000";
    }

    private async Task<string> ConfirmedMember(string name)
    {
        var email = People.NewEmail(new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray()));
        Assert.Equal(HttpStatusCode.Redirect, (await app.NewVisitor().Register(email, name)).Status);
        await app.WithDb(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));
        return email;
    }

    /// <summary>A visitor whose every request says it is for another host.</summary>
    private Visitor WithHost(string host)
    {
        var visitor = app.NewVisitor();
        visitor.Client.DefaultRequestHeaders.Host = host;
        return visitor;
    }

    [Fact]
    public async Task A_reset_link_names_the_public_address_whatever_host_the_request_claims()
    {
        var email = await ConfirmedMember("Hosted Hana");
        using var attacker = WithHost("evil.example:8080");

        var asked = await attacker.Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = email });

        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var body = (await smtp.To(email, "Reset")).TextBody!;
        Assert.DoesNotContain("evil.example", body);
        Assert.Matches(@"https://chat\.example\.org/Account/ResetPassword\?user=", body);
    }

    [Fact]
    public async Task The_already_registered_note_names_the_public_address_too()
    {
        var email = await ConfirmedMember("Noted Nora");
        using var attacker = WithHost("evil.example");

        Assert.Equal(HttpStatusCode.Redirect, (await attacker.Register(email, "Impostor")).Status);

        var body = (await smtp.To(email, "Your AgentRooms account")).TextBody!;
        Assert.DoesNotContain("evil.example", body);
        Assert.Contains("https://chat.example.org/Account/Login", body);
    }

    [Fact]
    public async Task Without_a_public_address_only_the_allowed_hosts_are_answered()
    {
        using var restricted = app.WithWebHostBuilder(b => b.UseSetting("App:PublicUrl", "").UseSetting("AllowedHosts", "localhost"));
        var email = People.NewEmail("restricted");
        using (var owner = new Visitor(restricted.CreateClient(new() { AllowAutoRedirect = false }), new CookieContainer()))
            Assert.Equal(HttpStatusCode.Redirect, (await owner.Register(email, "Restricted Rita")).Status);
        await smtp.To(email, "Confirm"); // sent in the background: counted only once it is here
        var before = smtp.Messages.Count(m => m.To.Mailboxes.Any(to => to.Address == email));

        using var attacker = new Visitor(restricted.CreateClient(new() { AllowAutoRedirect = false }), new CookieContainer());
        attacker.Client.DefaultRequestHeaders.Host = "evil.example";
        var asked = await attacker.Client.GetAsync("/Account/ForgotPassword");

        Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
        Assert.Equal(before, smtp.Messages.Count(m => m.To.Mailboxes.Any(to => to.Address == email)));
    }

    [Fact]
    public async Task Email_without_a_public_address_or_allowed_hosts_stops_the_start_naming_both()
    {
        await using var unsafeApp = new SqliteAppFactory();
        foreach (var (key, value) in smtp.Settings)
            unsafeApp.Settings[key] = value;
        unsafeApp.Settings["AllowedHosts"] = "*";

        var refused = Assert.ThrowsAny<Exception>(() => unsafeApp.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(refused));
        Assert.Contains("App:PublicUrl", validation.Message);
        Assert.Contains("AllowedHosts", validation.Message);
    }

    [Fact]
    public async Task A_confirmation_link_confirms_once_and_signs_in_only_the_browser_that_registered()
    {
        var registering = app.NewVisitor();
        var email = People.NewEmail("confirmonce");
        Assert.Equal(HttpStatusCode.Redirect, (await registering.Register(email, "Once Olive")).Status);
        var link = new Uri(ConfirmLink().Match((await smtp.To(email, "Confirm")).TextBody!).Value).PathAndQuery;

        // Another browser (the link forwarded, or planted by someone else: a login CSRF): confirmed, not signed in.
        using var elsewhere = app.NewVisitor();
        var opened = await elsewhere.Get(link);
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        Assert.StartsWith("/Account/Login", opened.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.Get("/rooms")).Status);
        Assert.True(await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));

        // The link is spent: not even the browser that registered signs in with it now, and no third one does.
        Assert.Equal(HttpStatusCode.BadRequest, (await registering.Get(link)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await registering.Get("/rooms")).Status);
        using var third = app.NewVisitor();
        Assert.Equal(HttpStatusCode.BadRequest, (await third.Get(link)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await third.Get("/rooms")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await registering.SignIn(email)).Status);
    }

    [Fact]
    public async Task Asking_for_a_reset_link_makes_a_token_for_an_unknown_address_as_for_a_known_one()
    {
        var email = await ConfirmedMember("Timed Tara");
        var made = 0;
        using var counted = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddTransient<DataProtectorTokenProvider<User>>(sp => new CountingTokenProvider(
                sp.GetRequiredService<IDataProtectionProvider>(), sp.GetRequiredService<IOptions<DataProtectionTokenProviderOptions>>(),
                sp.GetRequiredService<ILogger<DataProtectorTokenProvider<User>>>(), () => Interlocked.Increment(ref made)))));
        using var visitor = new Visitor(counted.CreateClient(new() { AllowAutoRedirect = false }), new CookieContainer());

        Assert.Equal(HttpStatusCode.OK, (await visitor.Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = email })).Status);
        var forKnown = made;
        Assert.Equal(HttpStatusCode.OK, (await visitor.Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = People.NewEmail("ghost") })).Status);

        Assert.Equal(1, forKnown);
        Assert.Equal(2, made);
    }

    private sealed class CountingTokenProvider(
        IDataProtectionProvider protection, IOptions<DataProtectionTokenProviderOptions> options, ILogger<DataProtectorTokenProvider<User>> logger, Action made)
        : DataProtectorTokenProvider<User>(protection, options, logger)
    {
        public override Task<string> GenerateAsync(string purpose, UserManager<User> manager, User user)
        {
            made();
            return base.GenerateAsync(purpose, manager, user);
        }
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;

    [GeneratedRegex(@"http\S+/Account/ConfirmEmail\?\S+")]
    private static partial Regex ConfirmLink();
}
