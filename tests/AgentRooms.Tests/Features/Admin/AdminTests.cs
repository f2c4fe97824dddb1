using System.Net;
using AgentRooms.Data.Admin;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Features.Admin;

public sealed class AdminTestsOnSqlite(SqliteAppFactory app) : AdminTests(app), IClassFixture<SqliteAppFactory>;

public sealed class AdminTestsOnMariaDb(MariaDbAppFactory app) : AdminTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>
/// The site administrators' pages: only they reach them; deactivating ends a person's sessions and
/// sign-ins and hides nothing they wrote; the last administrator stays; registration and room creation
/// follow the site's settings; every action is in the audit log.
/// </summary>
public abstract class AdminTests(AppFactory app)
{
    private async Task<(Visitor Admin, string Email)> Administrator(string name)
    {
        var (admin, email) = await app.SignedInPerson(name);
        await app.WithDb(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, true)));
        return (admin, email);
    }

    private Task<int> Settings(Registration registration, RoomCreation rooms, string name = SiteSettings.DefaultName) =>
        app.WithDb(async db =>
        {
            var settings = await db.SiteSettings.FirstOrDefaultAsync() ?? db.SiteSettings.Add(new SiteSettings()).Entity;
            (settings.Registration, settings.RoomCreation, settings.Name) = (registration, rooms, name);
            var saved = await db.SaveChangesAsync();
            app.Services.GetRequiredService<AgentRooms.Web.Infrastructure.Site>().Changed();
            return saved;
        });

    [Fact]
    public async Task Only_site_administrators_reach_the_administration_pages()
    {
        var (plain, plainEmail) = await app.SignedInPerson("Plain Visitor");
        var (admin, _) = await Administrator("Ada Admin");
        // The fixture's first account is its administrator: this one may be it.
        await app.WithDb(db => db.Users.Where(u => u.Email == plainEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, false)));

        foreach (var path in new[] { "/admin", "/admin/settings", "/admin/audit" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await plain.Get(path)).Status);
            Assert.Equal(HttpStatusCode.OK, (await admin.Get(path)).Status);
        }
        var found = await admin.Get("/admin?q=Plain Visitor");
        Assert.Equal(["Plain Visitor"], found.Document.QuerySelectorAll(".admin-people .member-name").Select(n => n.TextContent));
    }

    [Fact]
    public async Task A_deactivated_person_is_signed_out_everywhere_cannot_sign_in_and_what_they_wrote_stays()
    {
        var (admin, _) = await Administrator("Ada Deactivates");
        var (bob, bobEmail) = await app.SignedInPerson("Bob Leaves");
        var bobElsewhere = app.NewVisitor();
        Assert.Equal(HttpStatusCode.Redirect, (await bobElsewhere.SignIn(bobEmail)).Status);
        var roomId = await admin.CreateRoom("Stays written", "Public");
        await bob.Join(roomId);
        await bob.Send(roomId, "Something Bob wrote");

        var done = await admin.Submit("/admin?q=Bob Leaves", "Deactivate", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, done.Status);

        foreach (var device in new[] { bob, bobElsewhere })
        {
            var page = await device.Get("/rooms");
            Assert.Equal(HttpStatusCode.Redirect, page.Status);
            Assert.StartsWith("/Account/Login", new Uri(new Uri("http://localhost"), page.Location).PathAndQuery);
        }
        var refused = await bob.SignIn(bobEmail);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains(LoginModel.DeactivatedMessage, refused.Text);
        var guessed = await bob.SignIn(bobEmail, "not the password at all");
        Assert.Contains(LoginModel.FailedMessage, guessed.Text);
        Assert.DoesNotContain(LoginModel.DeactivatedMessage, guessed.Text); // only who knows the password learns it
        Assert.Contains("Something Bob wrote", (await admin.Get($"/rooms/{roomId}")).Text);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin?q=Bob Leaves", "Reactivate", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.SignIn(bobEmail)).Status);
        var audit = (await admin.Get("/admin/audit")).Document.QuerySelectorAll("tbody tr")
            .Select(tr => string.Join(" | ", tr.QuerySelectorAll("td").Skip(1).Take(3).Select(td => td.TextContent))).ToList();
        Assert.Equal($"Ada Deactivates | reactivated | Bob Leaves <{bobEmail}>", audit[0]);
        Assert.Equal($"Ada Deactivates | deactivated | Bob Leaves <{bobEmail}>", audit[1]);
    }

    [Fact]
    public async Task The_site_keeps_an_active_administrator()
    {
        var (admin, adminEmail) = await Administrator("Only Admin");
        await app.WithDb(db => db.Users.Where(u => u.Email != adminEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, false)));
        var adminId = await app.WithDb(db => db.Users.Where(u => u.Email == adminEmail).Select(u => u.Id).SingleAsync());
        var token = await admin.AnyToken();

        var demoted = await admin.Post("/admin?handler=RemoveAdmin", new Dictionary<string, string> { ["userId"] = adminId, ["__RequestVerificationToken"] = token });
        var deactivated = await admin.Post("/admin?handler=Deactivate", new Dictionary<string, string> { ["userId"] = adminId, ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Conflict, demoted.Status);
        Assert.Equal(HttpStatusCode.Conflict, deactivated.Status);
        Assert.Contains("keeps at least one active administrator", deactivated.Text);
        Assert.True(await app.WithDb(db => db.Users.AnyAsync(u => u.Id == adminId && u.IsSiteAdmin && u.DeactivatedAt == null)));
        // A second administrator, then the first may step down.
        var (_, secondEmail) = await app.SignedInPerson("Second Admin");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin?q=Second Admin", "Make administrator", new Dictionary<string, string>())).Status);
        Assert.Equal(HttpStatusCode.Redirect,
            (await admin.Post("/admin?handler=RemoveAdmin", new Dictionary<string, string> { ["userId"] = adminId, ["__RequestVerificationToken"] = token })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get("/admin")).Status); // read from the database, not the cookie
        await app.WithDb(db => db.Users.Where(u => u.Email == secondEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, false)));
    }

    [Fact]
    public async Task Registration_follows_the_site_settings()
    {
        var (admin, _) = await Administrator("Gatekeeper");
        var roomId = await admin.CreateRoom("Invited only");
        var invite = await admin.CreateInvite(roomId);
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin/settings", "Save settings",
                new Dictionary<string, string> { ["Input.Registration"] = "Closed" })).Status);
            var stranger = app.NewVisitor();
            var closed = await stranger.Get("/Account/Register");
            Assert.Equal(HttpStatusCode.Forbidden, closed.Status);
            Assert.Contains("Registration is closed here", closed.Text);
            var token = (await stranger.Get("/Account/Login")).AntiforgeryToken("Sign in");
            var email = People.NewEmail("closed");
            var posted = await stranger.Post("/Account/Register", new Dictionary<string, string>
                { ["Input.Email"] = email, ["Input.DisplayName"] = "Shut Out", ["Input.Password"] = People.Password, ["__RequestVerificationToken"] = token });
            Assert.Equal(HttpStatusCode.Forbidden, posted.Status);
            Assert.False(await app.WithDb(db => db.Users.AnyAsync(u => u.Email == email)));

            Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin/settings", "Save settings",
                new Dictionary<string, string> { ["Input.Registration"] = "InvitationOnly" })).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Get("/Account/Register")).Status);
            var invited = await stranger.Submit($"/Account/Register?returnUrl={Uri.EscapeDataString(invite)}", "Create account", new Dictionary<string, string>
                { ["Input.Email"] = email, ["Input.DisplayName"] = "Invited In", ["Input.Password"] = People.Password });
            Assert.Equal(HttpStatusCode.Redirect, invited.Status);
            Assert.True(await app.WithDb(db => db.Users.AnyAsync(u => u.Email == email)));
            Assert.Contains((await admin.Get("/admin/audit")).Document.QuerySelectorAll("tbody td"), td => td.TextContent == "registration Closed → InvitationOnly");
        }
        finally
        {
            await Settings(Registration.Open, RoomCreation.Everyone);
        }
    }

    [Fact]
    public async Task Only_administrators_create_rooms_when_the_site_says_so_and_the_name_is_the_sites()
    {
        var (admin, _) = await Administrator("Room Keeper");
        var (plain, plainEmail) = await app.SignedInPerson("Would Create");
        await app.WithDb(db => db.Users.Where(u => u.Email == plainEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, false)));
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit("/admin/settings", "Save settings", new Dictionary<string, string>
                { ["Input.RoomCreation"] = "Administrators", ["Input.Name"] = "Team <Chat>" })).Status);

            var form = await plain.Get("/rooms/new");
            Assert.Equal(HttpStatusCode.Forbidden, form.Status);
            Assert.Contains("only its administrators create rooms", form.Text);
            var token = (await plain.Get("/agents/new")).AntiforgeryToken("Create agent");
            var posted = await plain.Post("/rooms/new", new Dictionary<string, string> { ["Input.Name"] = "Sneaky", ["Input.Visibility"] = "Public", ["__RequestVerificationToken"] = token });
            Assert.Equal(HttpStatusCode.Forbidden, posted.Status);
            Assert.False(await app.WithDb(db => db.Rooms.AnyAsync(r => r.Name == "Sneaky")));
            var rooms = await plain.Get("/rooms");
            Assert.DoesNotContain(rooms.Document.QuerySelectorAll("a"), a => a.TextContent == "New room");
            Assert.Equal("Rooms · Team <Chat>", rooms.Document.Title);
            await admin.CreateRoom("Allowed");
        }
        finally
        {
            await Settings(Registration.Open, RoomCreation.Everyone);
        }
    }

    [Fact]
    public async Task Without_email_an_administrator_makes_a_one_time_reset_link()
    {
        var (admin, _) = await Administrator("Link Maker");
        var (bob, bobEmail) = await app.SignedInPerson("Bob Forgot");
        await bob.SignOut();
        Assert.Contains("This site does not send email", (await bob.Get("/Account/ForgotPassword")).Text);

        var made = await admin.Submit("/admin?q=Bob Forgot", "Reset link", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, made.Status);
        var link = new Uri(made.Document.QuerySelector("#reset-link")!.GetAttribute("value")!);
        Assert.Equal("/Account/ResetPassword", link.AbsolutePath);

        Assert.Equal(HttpStatusCode.Redirect, (await bob.Submit(link.PathAndQuery, "Change password", new Dictionary<string, string> { ["Password"] = "handed over secret" })).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.SignIn(bobEmail, "handed over secret")).Status);
        Assert.Contains((await admin.Get("/admin/audit")).Document.QuerySelectorAll("tbody td"), td => td.TextContent == "made a password reset link");
    }

    [Fact]
    public async Task A_ban_ends_the_account_for_good_and_deletes_what_they_wrote_and_their_agents_live()
    {
        var (admin, _) = await Administrator("Ban Hammer");
        var (troll, trollEmail) = await app.SignedInPerson("Tiresome Troll");
        var roomId = await admin.CreateRoom("Moderated", "Public");
        await troll.Join(roomId);
        await troll.Send(roomId, "First nasty thing");
        await troll.Send(roomId, "Second nasty thing");
        var agentId = await app.CreateAgent(troll, "Troll Bot", "troll-bot");
        await troll.AddAgent(roomId, agentId);
        await admin.Send(roomId, "The admin's own words");

        var banned = await admin.Submit("/admin?q=Tiresome Troll", "Ban and delete their messages and agents", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, banned.Status);
        await Eventually.True(async () => await app.WithDb(async db =>
                !await db.Messages.AnyAsync(m => m.RoomId == roomId && m.SenderUser!.Email == trollEmail && m.DeletedAt == null)
                && await db.Agents.AnyAsync(a => a.Id == agentId && a.DeletedAt != null)),
            what: "the banned person's messages and agents to go");
        var room = await admin.Get($"/rooms/{roomId}");
        Assert.DoesNotContain("nasty thing", room.Text);
        Assert.Contains("The admin's own words", room.Text);
        Assert.False(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId && ra.AgentId == agentId)));
        Assert.Contains(LoginModel.DeactivatedMessage, (await troll.SignIn(trollEmail)).Text);
        var row = (await admin.Get("/admin?q=Tiresome Troll")).Document.QuerySelector(".admin-people li")!;
        Assert.Contains("banned", row.TextContent);
        Assert.Null(row.QuerySelector("button")); // no way back from a ban here
    }
}
