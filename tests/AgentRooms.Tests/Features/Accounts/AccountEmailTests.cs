using System.Net;
using System.Text.RegularExpressions;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Accounts;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Accounts;

public sealed class AccountEmailTestsOnSqlite(SqliteAppFactory app, FakeSmtpServer smtp)
    : AccountEmailTests(app, smtp), IClassFixture<SqliteAppFactory>, IClassFixture<FakeSmtpServer>;

public sealed class AccountEmailTestsOnMariaDb(MariaDbAppFactory app, FakeSmtpServer smtp)
    : AccountEmailTests(app, smtp), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeSmtpServer>;

/// <summary>
/// With email set up (a real SMTP server on loopback): "Forgot your password?" sends a link that sets a
/// new password once, within the hour; registering sends a confirmation link; and neither form tells
/// anyone which addresses have accounts.
/// </summary>
public abstract partial class AccountEmailTests
{
    private readonly AppFactory app;
    private readonly FakeSmtpServer smtp;

    protected AccountEmailTests(AppFactory app, FakeSmtpServer smtp)
    {
        (this.app, this.smtp) = (app, smtp);
        foreach (var (key, value) in smtp.Settings)
            app.Settings[key] = value;
    }

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    /// <summary>An account whose address is confirmed (its visitor not signed in).</summary>
    private async Task<(Visitor Visitor, string Email)> Member(string name)
    {
        var visitor = app.NewVisitor();
        var email = People.NewEmail(new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray()));
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Register(email, name)).Status);
        await app.WithDb(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));
        return (visitor, email);
    }

    [Fact]
    public async Task A_reset_link_arrives_by_email_sets_a_new_password_once_and_the_old_one_stops_working()
    {
        var (person, email) = await Member("Forgetful Fran");

        var asked = await person.Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = email });
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains($"If {email} has an account here, a link to choose a new password is on its way", asked.Text);

        var message = await smtp.To(email, "Reset");
        Assert.Equal("Reset your AgentRooms password", message.Subject);
        Assert.Equal("chat@agentrooms.test", message.From.Mailboxes.Single().Address);
        var body = message.TextBody;
        Assert.Contains("Hello Forgetful Fran", body);
        Assert.Contains("If it wasn't you, ignore this email", body);
        var link = ResetLink().Match(body ?? "").Value;
        Assert.StartsWith("http://localhost/Account/ResetPassword?user=", link);

        var changed = await person.Submit(PathOf(link), "Change password", new Dictionary<string, string> { ["Password"] = "a brand new secret" });
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Contains("Your password is changed", (await person.Get("/Account/Login")).Text);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await person.SignIn(email)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await person.SignIn(email, "a brand new secret")).Status);
        await person.SignOut();

        var again = await person.Submit(PathOf(link), "Change password", new Dictionary<string, string> { ["Password"] = "yet another secret" });
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Contains(ResetPasswordModel.Expired, again.Text);
        var tampered = await person.Submit(PathOf(link).Replace("token=", "token=x"), "Change password", new Dictionary<string, string> { ["Password"] = "yet another secret" });
        Assert.Equal(HttpStatusCode.BadRequest, tampered.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await person.SignIn(email, "a brand new secret")).Status);
    }

    [Fact]
    public async Task An_address_without_an_account_gets_the_same_answer_and_no_email()
    {
        var (_, email) = await Member("Known Kim");
        var stranger = app.NewVisitor();
        var unknown = People.NewEmail("nobody");

        var forUnknown = await stranger.Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = unknown });
        var forKnown = await stranger.Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = email });

        Assert.Equal(forKnown.Text.Replace(email, "ADDRESS"), forUnknown.Text.Replace(unknown, "ADDRESS"));
        await smtp.To(email, "Reset");
        Assert.DoesNotContain(smtp.Messages, m => m.To.Mailboxes.Any(to => to.Address == unknown));
    }

    [Fact]
    public async Task Registering_sends_a_confirmation_link_and_the_account_signs_in_only_through_it()
    {
        var visitor = app.NewVisitor();
        var email = People.NewEmail("confirm");

        var registered = await visitor.Register(email, "Careful Cam");
        Assert.Equal(HttpStatusCode.Redirect, registered.Status);
        Assert.StartsWith("/Account/CheckEmail", registered.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Get("/rooms")).Status); // not signed in yet
        var early = await visitor.SignIn(email);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.Status);
        Assert.Contains(LoginModel.UnconfirmedMessage, early.Text);

        var message = await smtp.To(email, "Confirm");
        var link = ConfirmLink().Match(message.TextBody ?? "").Value;
        var confirmed = await visitor.Get(PathOf(link));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Get("/rooms")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.NewVisitor().Get(PathOf(link).Replace("token=", "token=x"))).Status);
    }

    [Fact]
    public async Task Registering_with_a_taken_address_answers_as_for_a_new_one_and_tells_the_owner()
    {
        var (owner, email) = await Member("Original Olga");
        var fresh = People.NewEmail("fresh");

        var taken = await app.NewVisitor().Register(email, "Impostor Ivan");
        var untaken = await app.NewVisitor().Register(fresh, "Newcomer Nia");

        Assert.Equal((taken.Status, taken.Location!.Replace(Uri.EscapeDataString(email), "ADDRESS")),
            (untaken.Status, untaken.Location!.Replace(Uri.EscapeDataString(fresh), "ADDRESS")));
        var note = await smtp.To(email, "Your AgentRooms account");
        Assert.Contains("Someone tried to create a AgentRooms account with this address", note.TextBody);
        Assert.Equal(1, await app.WithDb(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal("Original Olga", await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.DisplayName).SingleAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignIn(email)).Status);
    }

    [Fact]
    public async Task A_posted_confirmation_flag_confirms_nothing()
    {
        using var visitor = app.NewVisitor();
        var form = await visitor.Get("/Account/Register");
        var email = People.NewEmail("overposted");

        var registered = await visitor.Post("/Account/Register", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.AntiforgeryToken("Create account"),
            ["Input.Email"] = email, ["Input.DisplayName"] = "Overposter", ["Input.Password"] = People.Password,
            ["Input.EmailConfirmed"] = "true", ["EmailConfirmed"] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, registered.Status);
        Assert.False(await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));
        Assert.Contains(LoginModel.UnconfirmedMessage, (await visitor.SignIn(email)).Text);
    }

    [GeneratedRegex(@"http\S+/Account/ConfirmEmail\?\S+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"http\S+/Account/ResetPassword\?\S+")]
    private static partial Regex ResetLink();
}
