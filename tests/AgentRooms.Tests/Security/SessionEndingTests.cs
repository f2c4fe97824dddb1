using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Security;

public sealed class SessionEndingTestsOnSqlite(SqliteAppFactory app, FakeSmtpServer smtp, PushService push)
    : SessionEndingTests(app, smtp, push), IClassFixture<SqliteAppFactory>, IClassFixture<FakeSmtpServer>, IClassFixture<PushService>;

public sealed class SessionEndingTestsOnMariaDb(MariaDbAppFactory app, FakeSmtpServer smtp, PushService push)
    : SessionEndingTests(app, smtp, push), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeSmtpServer>, IClassFixture<PushService>;

/// <summary>
/// A session that ends takes everything that rode on it: a new password (by reset link or on the
/// profile), "Sign out everywhere", deactivation and a ban close the person's sockets, refuse copies of
/// their cookies (on sockets too) and stop their notifications; signing out stops that browser's.
/// </summary>
public abstract partial class SessionEndingTests
{
    private readonly AppFactory app;
    private readonly FakeSmtpServer smtp;
    private readonly PushService push;

    protected SessionEndingTests(AppFactory app, FakeSmtpServer smtp, PushService push)
    {
        (this.app, this.smtp, this.push) = (app, smtp, push);
        foreach (var (key, value) in smtp.Settings)
            app.Settings[key] = value;
        app.Settings["Push:AllowedEndpoints"] = push.Origin;
        app.Settings["Limits:PasswordResetsPerHour"] = "1000";
    }

    private async Task<(Visitor Visitor, string Email)> Confirmed(string name)
    {
        var email = People.NewEmail(new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray()));
        var visitor = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Register(email, name)).Status);
        await app.WithDb(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.SignIn(email)).Status);
        return (visitor, email);
    }

    private static async Task AssertSignedOut(Visitor visitor)
    {
        var page = await visitor.Get("/rooms");
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/Account/Login", new Uri(new Uri("http://localhost"), page.Location).PathAndQuery);
    }

    private async Task AssertSocketRefused(string cookie, int roomId)
    {
        try
        {
            await using var socket = await LiveSocket.OpenWithCookie(app, cookie, roomId);
            var (status, fragments) = await socket.UntilClosed(TimeSpan.FromSeconds(10));
            Assert.DoesNotContain(fragments, LiveSocket.IsAppend);
            Assert.NotNull(status);
        }
        catch (Exception refused) when (refused is InvalidOperationException or WebSocketException)
        {
            // Not upgraded at all: the cookie is no one's now.
        }
    }

    [Fact]
    public async Task A_password_reset_closes_a_copied_cookies_socket_and_its_sends_are_not_saved()
    {
        var (victim, email) = await Confirmed("Reset Rosa");
        var roomId = await victim.CreateRoom("Rosa's room");
        var copied = victim.CookieHeader;
        await using var stolen = await LiveSocket.OpenWithCookie(app, copied, roomId);
        await stolen.Resume(0);

        var asked = await app.NewVisitor().Submit("/Account/ForgotPassword", "Send the link", new Dictionary<string, string> { ["Email"] = email });
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var link = new Uri(ResetLink().Match((await smtp.To(email, "Reset")).TextBody!).Value).PathAndQuery;
        using var owner = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await owner.Submit(link, "Change password", new Dictionary<string, string> { ["Password"] = "a new secret here" })).Status);

        var (status, _) = await stolen.UntilClosed(TimeSpan.FromSeconds(10));
        Assert.NotNull(status);
        try
        {
            await stolen.SendJson(new { type = "send", content = "written by the thief", clientMessageId = Guid.NewGuid() });
        }
        catch (Exception closed) when (closed is WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
        }
        await AssertSocketRefused(copied, roomId);
        await AssertSignedOut(victim);
        Assert.False(await app.WithDb(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.Content == "written by the thief")));
    }

    [Fact]
    public async Task Signing_out_stops_that_browsers_notifications_and_leaves_the_others()
    {
        var (alice, _) = await Confirmed("Alice Pushes");
        var (bob, bobEmail) = await Confirmed("Bob Pushes");
        var bobLaptop = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await bobLaptop.SignIn(bobEmail)).Status);
        var roomId = await alice.CreateRoom("Push after sign-out", "Public");
        await bob.Join(roomId);
        using var phone = new PushBrowser(push);
        using var laptop = new PushBrowser(push);
        Assert.Equal(HttpStatusCode.NoContent, await phone.Subscribe(bob));
        Assert.Equal(HttpStatusCode.NoContent, await laptop.Subscribe(bobLaptop));

        await bob.SignOut();
        await alice.Send(roomId, "Direct to you @bob-pushes");

        var note = await push.Next(laptop, TimeSpan.FromSeconds(20));
        Assert.Contains("Direct to you", note.GetProperty("body").GetString());
        Assert.Equal(0, push.CountFor(phone));
        Assert.Equal(1, await app.WithDb(db => db.PushSubscriptions.CountAsync(s => s.User!.Email == bobEmail)));
    }

    [Fact]
    public async Task Deactivation_and_a_ban_end_every_subscription_and_socket()
    {
        var (admin, adminEmail) = await Confirmed("Ada Ends");
        await app.WithDb(db => db.Users.Where(u => u.Email == adminEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, true)));
        var (carl, carlEmail) = await Confirmed("Carl Deactivated");
        var (dora, doraEmail) = await Confirmed("Dora Banned");
        var (erin, _) = await Confirmed("Erin Stays");
        var roomId = await admin.CreateRoom("Ends here", "Public");
        foreach (var member in new[] { carl, dora, erin })
            await member.Join(roomId);
        using var carlPhone = new PushBrowser(push);
        using var doraPhone = new PushBrowser(push);
        using var erinPhone = new PushBrowser(push);
        Assert.Equal(HttpStatusCode.NoContent, await carlPhone.Subscribe(carl));
        Assert.Equal(HttpStatusCode.NoContent, await doraPhone.Subscribe(dora));
        Assert.Equal(HttpStatusCode.NoContent, await erinPhone.Subscribe(erin));
        await using var carlSocket = await LiveSocket.Open(app, carl, roomId);
        await carlSocket.Resume(0);
        var (carlCookie, doraCookie) = (carl.CookieHeader, dora.CookieHeader);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin?q=Carl Deactivated", "Deactivate", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin?q=Dora Banned", "Ban and delete their messages and agents", new Dictionary<string, string>())).Status);

        Assert.NotNull((await carlSocket.UntilClosed(TimeSpan.FromSeconds(10))).Status);
        await AssertSocketRefused(carlCookie, roomId);
        await AssertSocketRefused(doraCookie, roomId);
        Assert.Equal(0, await app.WithDb(db => db.PushSubscriptions.CountAsync(s => s.User!.Email == carlEmail || s.User.Email == doraEmail)));
        // Notifications go out a message at a time, in order: Erin's arriving means theirs would have.
        await admin.Send(roomId, "For @carl-deactivated, @dora-banned and @erin-stays");
        await push.Next(erinPhone, TimeSpan.FromSeconds(20));
        Assert.Equal(0, push.CountFor(carlPhone));
        Assert.Equal(0, push.CountFor(doraPhone));
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_and_socket_of_the_person()
    {
        var (phone, email) = await Confirmed("Everywhere Eve");
        var laptop = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.SignIn(email)).Status);
        var roomId = await phone.CreateRoom("Eve's room");
        await using var laptopSocket = await LiveSocket.Open(app, laptop, roomId);
        await laptopSocket.Resume(0);
        var copied = laptop.CookieHeader;

        var profile = await phone.Get("/Account/Profile");
        Assert.Equal(2, profile.Document.QuerySelectorAll(".session-list li").Length);
        Assert.Contains("(this browser)", profile.Text);
        var ended = await profile.Submit(phone, "Sign out everywhere", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, ended.Status);
        Assert.NotNull((await laptopSocket.UntilClosed(TimeSpan.FromSeconds(10))).Status);
        await AssertSignedOut(phone);
        await AssertSignedOut(laptop);
        await AssertSocketRefused(copied, roomId);
        Assert.Equal(0, await app.WithDb(db => db.UserSessions.CountAsync(s => s.User!.Email == email)));
    }

    [Fact]
    public async Task One_other_session_can_be_signed_out_from_the_list()
    {
        var (phone, email) = await Confirmed("Listed Lena");
        var laptop = app.NewVisitor();
        laptop.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.SignIn(email)).Status);

        var profile = await phone.Get("/Account/Profile");
        var other = profile.Document.QuerySelectorAll(".session-list li").Single(li => li.QuerySelector("button") is not null);
        Assert.Contains("Firefox on Linux", other.TextContent);
        var form = (AngleSharp.Html.Dom.IHtmlFormElement)other.QuerySelector("form")!;
        var ended = await phone.Post(form.GetAttribute("action")!, new Dictionary<string, string> { ["__RequestVerificationToken"] = profile.AntiforgeryToken("Save") });

        Assert.Equal(HttpStatusCode.Redirect, ended.Status);
        await AssertSignedOut(laptop);
        Assert.Equal(HttpStatusCode.OK, (await phone.Get("/rooms")).Status);
        Assert.Single((await phone.Get("/Account/Profile")).Document.QuerySelectorAll(".session-list li"));
        // Someone else's session id is not theirs to end.
        var (stranger, _) = await Confirmed("Stranger Sam");
        var sessionId = await app.WithDb(db => db.UserSessions.Where(s => s.User!.Email == email).Select(s => s.Id).FirstAsync());
        var refused = await stranger.Post($"/Account/Profile?handler=EndSession&id={sessionId}",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = (await stranger.Get("/Account/Profile")).AntiforgeryToken("Save") });
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Equal(HttpStatusCode.OK, (await phone.Get("/rooms")).Status);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_ends_the_other_sessions_only()
    {
        var (phone, email) = await Confirmed("Changing Chloe");
        var laptop = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.SignIn(email)).Status);

        var wrong = await phone.Submit("/Account/Profile", "Change password", new Dictionary<string, string>
        {
            ["Password.Current"] = "not my password", ["Password.New"] = "brand new words", ["Password.Confirm"] = "brand new words",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Contains("That is not your current password.", wrong.ErrorFor("Password.Current"));
        var mismatch = await phone.Submit("/Account/Profile", "Change password", new Dictionary<string, string>
        {
            ["Password.Current"] = People.Password, ["Password.New"] = "brand new words", ["Password.Confirm"] = "other words here",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.Status);
        Assert.Equal(HttpStatusCode.OK, (await laptop.Get("/rooms")).Status);

        var changed = await phone.Submit("/Account/Profile", "Change password", new Dictionary<string, string>
        {
            ["Password.Current"] = People.Password, ["Password.New"] = "brand new words", ["Password.Confirm"] = "brand new words",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Contains("Your password is changed", (await phone.Get("/Account/Profile")).Text);
        Assert.Equal(HttpStatusCode.OK, (await phone.Get("/rooms")).Status);
        await AssertSignedOut(laptop);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await app.NewVisitor().SignIn(email)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await app.NewVisitor().SignIn(email, "brand new words")).Status);
    }

    [GeneratedRegex(@"http\S+/Account/ResetPassword\?\S+")]
    private static partial Regex ResetLink();
}
