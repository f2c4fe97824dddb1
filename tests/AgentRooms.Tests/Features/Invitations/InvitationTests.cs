using System.Net;
using System.Security.Cryptography;
using System.Text;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Invitations;

public sealed class InvitationTestsOnSqlite(SqliteAppFactory app) : InvitationTests(app), IClassFixture<SqliteAppFactory>;

public sealed class InvitationTestsOnMariaDb(MariaDbAppFactory app) : InvitationTests(app), IClassFixture<MariaDbAppFactory>;

public abstract class InvitationTests(AppFactory app)
{
    private const string Invalid = "Invalid or expired invitation";

    [Fact]
    public async Task Signing_in_from_an_invitation_joins_its_room_while_the_link_is_usable()
    {
        var (owner, _) = await app.SignedInPerson("Host");
        var roomId = await owner.CreateRoom("Come on in");
        var path = await owner.CreateInvite(roomId, maxUses: "2");
        var (first, _) = await app.SignedInPerson("First");
        await first.AcceptInvite(path);

        // Someone with an account signs in from it.
        var (regular, regularEmail) = await app.SignedInPerson("Regular");
        await regular.SignOut();
        var signedIn = await regular.SignIn(regularEmail, returnUrl: path);
        Assert.Equal($"/rooms/{roomId}#latest", signedIn.Location); // at the newest message
        Assert.Equal(3, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == roomId)));

        // Used up: a third comes back to the invitation, which says it is no longer valid, and joins nothing.
        var (late, lateEmail) = await app.SignedInPerson("Too late");
        await late.SignOut();
        var refused = await late.SignIn(lateEmail, returnUrl: path);
        Assert.Equal(path, refused.Location);
        Assert.Equal(HttpStatusCode.NotFound, (await late.Get(path)).Status);
        Assert.Equal(3, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == roomId)));
    }

    [Fact]
    public async Task An_owner_creates_a_link_whose_token_is_strong_shown_once_and_stored_only_as_a_hash()
    {
        var (owner, _) = await app.SignedInPerson("Inviter");
        var roomId = await owner.CreateRoom("Private party");

        var path = await owner.CreateInvite(roomId);

        var token = path["/invite/".Length..];
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        var stored = await app.WithDb(db => db.Invitations.SingleAsync(i => i.RoomId == roomId));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        foreach (var later in new[] { $"/rooms/{roomId}", $"/rooms/{roomId}/settings", "/rooms" })
            Assert.DoesNotContain(token, await (await owner.Get(later)).Response.Content.ReadAsStringAsync());
        var settings = await owner.Get($"/rooms/{roomId}/settings");
        Assert.Contains("Inviter", settings.Document.QuerySelector("[aria-label='Active invitations']")!.TextContent);
    }

    [Fact]
    public async Task The_link_is_absolute_from_the_public_url_when_one_is_set()
    {
        using var configured = app.WithWebHostBuilder(b => b.UseSetting("App:PublicUrl", "https://chat.example.org/"));
        var cookies = new System.Net.CookieContainer();
        using var owner = new Visitor(configured.CreateDefaultClient(new Uri("http://localhost"),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies)), cookies);
        await owner.Register(People.NewEmail("public"), "Public url");
        var roomId = await owner.CreateRoom("Elsewhere");

        var page = await owner.Submit($"/rooms/{roomId}/invitations/new", "Create invite link", new Dictionary<string, string>());

        Assert.StartsWith("https://chat.example.org/invite/", page.Document.QuerySelector("input#invite-link")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_signed_out_person_sees_the_room_and_after_creating_an_account_is_in_it()
    {
        var (owner, _) = await app.SignedInPerson("Hostess");
        var roomId = await owner.CreateRoom("Supper club");
        var path = await owner.CreateInvite(roomId);
        using var newcomer = app.NewVisitor();

        var landing = await newcomer.Get(path);
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        Assert.Equal("Supper club", landing.Document.QuerySelector("h1")!.TextContent);
        Assert.Contains("Hostess invited you", landing.Text);
        Assert.Contains("1 member", landing.Text);
        Assert.Equal("no-referrer", landing.Response.Headers.GetValues("Referrer-Policy").Single());
        var create = landing.Document.QuerySelectorAll("a").Single(a => a.TextContent == "Create account").GetAttribute("href")!;
        Assert.Single(landing.Document.QuerySelectorAll("a"), a => a.TextContent == "Sign in");

        var registered = await newcomer.Submit(create, "Create account", new Dictionary<string, string>
        {
            ["Input.Email"] = People.NewEmail("newcomer"), ["Input.DisplayName"] = "Newcomer", ["Input.Password"] = People.Password,
        });
        Assert.Equal($"/rooms/{roomId}#latest", registered.Location); // joined on the way, no second click
        var room = await newcomer.Get(registered.Location!);
        Assert.Equal("Supper club", room.Document.QuerySelector("h1")!.TextContent);
        var member = await app.WithDb(db => db.RoomMembers.Include(m => m.User).SingleAsync(m => m.RoomId == roomId && m.User!.DisplayName == "Newcomer"));
        Assert.Equal(RoomRole.Member, member.Role);
    }

    [Fact]
    public async Task Unknown_expired_used_up_and_revoked_tokens_all_get_the_same_404()
    {
        var (owner, _) = await app.SignedInPerson("Expirer");
        var roomId = await owner.CreateRoom("Gone");
        var expired = await owner.CreateInvite(roomId, expires: "1");
        await app.WithDb(db => db.Invitations.Where(i => i.RoomId == roomId).ExecuteUpdateAsync(i => i.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        var usedUp = await owner.CreateInvite(roomId, maxUses: "1");
        var (first, _) = await app.SignedInPerson("FirstIn");
        await first.AcceptInvite(usedUp);
        var revoked = await owner.CreateInvite(roomId);
        var settings = await owner.Get($"/rooms/{roomId}/settings");
        Assert.Equal(HttpStatusCode.Redirect, (await settings.Submit(owner, "Revoke", new Dictionary<string, string>())).Status);
        var (visitor, _) = await app.SignedInPerson("Latecomer");

        var unknownShapes = new[] { "/invite/x", "/invite/" + new string('a', 43), "/invite/" + new string('z', 500), "/invite/%27%22%3Cscript%3E", "/invite/..%2F..%2Frooms" };
        var pages = new List<Visitor.Page>();
        foreach (var path in new[] { expired, usedUp, revoked }.Concat(unknownShapes))
            pages.Add(await visitor.Get(path));

        Assert.All(pages, page => Assert.Equal(HttpStatusCode.NotFound, page.Status));
        Assert.All(pages, page => Assert.Equal(Invalid, page.Document.QuerySelector("h1")!.TextContent));
        Assert.Single(pages.Select(p => p.Text).Distinct());
        Assert.DoesNotContain("Gone", pages[0].Text);
        var join = await visitor.Post(revoked, new Dictionary<string, string> { ["__RequestVerificationToken"] = await visitor.AnyToken() });
        Assert.Equal(HttpStatusCode.NotFound, join.Status);
        Assert.Equal(2, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == roomId)));
    }

    [Fact]
    public async Task Twenty_people_racing_for_a_one_use_link_admit_exactly_one()
    {
        var (owner, _) = await app.SignedInPerson("Gatekeeper");
        var roomId = await owner.CreateRoom("One seat");
        var path = await owner.CreateInvite(roomId, maxUses: "1");
        var racers = new List<(Visitor Visitor, string Token)>();
        for (var i = 0; i < 20; i++)
        {
            var (racer, _) = await app.SignedInPerson($"Racer{i}");
            racers.Add((racer, (await racer.Get(path)).AntiforgeryToken("Join room")));
        }

        var results = await Task.WhenAll(racers.Select(r =>
            r.Visitor.Post(path, new Dictionary<string, string> { ["__RequestVerificationToken"] = r.Token })));

        Assert.Single(results, r => r.Status == HttpStatusCode.Redirect);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Redirect), r => Assert.Equal(HttpStatusCode.NotFound, r.Status));
        Assert.Equal(2, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == roomId)));
        Assert.Equal(1, (await app.WithDb(db => db.Invitations.SingleAsync(i => i.RoomId == roomId))).Uses);
    }

    [Fact]
    public async Task A_member_reopening_the_link_counts_no_use_and_gets_a_link_to_the_room()
    {
        var (owner, _) = await app.SignedInPerson("Reopener");
        var roomId = await owner.CreateRoom("Again");
        var path = await owner.CreateInvite(roomId, maxUses: "2");
        var (member, _) = await app.SignedInPerson("Returning");
        await member.AcceptInvite(path);

        var again = await member.Get(path);
        var ownerOpens = await owner.Get(path);

        Assert.Contains("already in this room", again.Text);
        Assert.Equal($"/rooms/{roomId}#latest", again.Document.QuerySelectorAll("a").Single(a => a.TextContent == "Open the room").GetAttribute("href"));
        Assert.Contains("already in this room", ownerOpens.Text);
        Assert.Equal(1, (await app.WithDb(db => db.Invitations.SingleAsync(i => i.RoomId == roomId))).Uses);
    }

    [Fact]
    public async Task Accepting_with_a_role_in_the_form_still_joins_as_a_plain_member()
    {
        var (owner, _) = await app.SignedInPerson("Strict");
        var roomId = await owner.CreateRoom("No shortcuts");
        var path = await owner.CreateInvite(roomId);
        var (sneaky, email) = await app.SignedInPerson("Climber");
        var token = (await sneaky.Get(path)).AntiforgeryToken("Join room");

        await sneaky.Post(path, new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["role"] = "Admin", ["Role"] = "Owner", ["Input.Role"] = "Owner", ["roomId"] = "1",
        });

        var member = await app.WithDb(db => db.RoomMembers.Include(m => m.User).SingleAsync(m => m.RoomId == roomId && m.User!.Email == email));
        Assert.Equal(RoomRole.Member, member.Role);
    }

    [Fact]
    public async Task Opening_a_link_or_posting_without_a_token_changes_nothing()
    {
        var (owner, _) = await app.SignedInPerson("Careful");
        var roomId = await owner.CreateRoom("Forged");
        var path = await owner.CreateInvite(roomId);
        var (victim, _) = await app.SignedInPerson("Clicked");

        await victim.Get(path);
        var forged = await victim.Post(path, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(1, await app.WithDb(db => db.RoomMembers.CountAsync(m => m.RoomId == roomId)));
        Assert.Equal(0, (await app.WithDb(db => db.Invitations.SingleAsync(i => i.RoomId == roomId))).Uses);
    }

    [Theory]
    [InlineData("7", "-1")]
    [InlineData("7", "0")]
    [InlineData("7", "100000000000")]
    [InlineData("7", "lots")]
    [InlineData("-3", "")]
    [InlineData("36500", "")]
    public async Task Absurd_expiry_or_uses_are_explained_and_create_nothing(string expires, string maxUses)
    {
        var (owner, _) = await app.SignedInPerson("Absurd");
        var roomId = await owner.CreateRoom("Limits");

        var page = await owner.Submit($"/rooms/{roomId}/invitations/new", "Create invite link",
            new Dictionary<string, string> { ["Invite.Expires"] = expires, ["Invite.MaxUses"] = maxUses });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.Status);
        Assert.NotEmpty(page.ErrorFor("Invite.Expires") + page.ErrorFor("Invite.MaxUses"));
        Assert.Null(page.Document.QuerySelector("input#invite-link"));
        Assert.Equal(0, await app.WithDb(db => db.Invitations.CountAsync(i => i.RoomId == roomId)));
    }

    [Fact]
    public async Task Many_guesses_from_one_client_are_rate_limited()
    {
        using var limited = app.WithWebHostBuilder(b => b.UseSetting("Invitations:RequestsPerMinute", "10"));
        using var client = limited.CreateClient(new() { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
            statuses.Add((await client.GetAsync($"/invite/{Guid.NewGuid():N}{Guid.NewGuid():N}")).StatusCode);

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.NotFound));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
