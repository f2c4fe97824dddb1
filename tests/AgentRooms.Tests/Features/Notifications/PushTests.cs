using System.Net;
using System.Text.Json;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Notifications;

public sealed class PushTestsOnSqlite(SqliteAppFactory app, PushService push) : PushTests(app, push), IClassFixture<SqliteAppFactory>, IClassFixture<PushService>;

public sealed class PushTestsOnMariaDb(MariaDbAppFactory app, PushService push) : PushTests(app, push), IClassFixture<MariaDbAppFactory>, IClassFixture<PushService>;

/// <summary>
/// Web Push to people who are away, through a push service on loopback: the real encrypted request,
/// decrypted here with the subscription's keys. Notifications go out one message at a time, in order,
/// so a later push arriving means every earlier message has been dealt with.
/// </summary>
public abstract class PushTests
{
    private readonly AppFactory app;
    private readonly PushService push;

    protected PushTests(AppFactory app, PushService push)
    {
        (this.app, this.push) = (app, push);
        app.Settings["Push:AllowedEndpoints"] = push.Origin;
    }

    private async Task<string> SiteKey(Visitor visitor) =>
        JsonDocument.Parse(await visitor.Client.GetStringAsync("/notifications/key")).RootElement.GetProperty("key").GetString()!;

    private static async Task SetLevel(Visitor visitor, int roomId, string level)
    {
        var saved = await visitor.Submit($"/rooms/{roomId}", "Save", new Dictionary<string, string> { ["level"] = level });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
    }

    [Fact]
    public async Task Away_members_are_notified_at_their_level_and_nobody_with_the_room_open_or_about_their_own_message()
    {
        var (ada, _) = await app.SignedInPerson("Ada Push");
        var (bob, _) = await app.SignedInPerson("Bob Push");
        var (cleo, _) = await app.SignedInPerson("Cleo Push");
        var (dan, _) = await app.SignedInPerson("Dan Push");
        var (eve, _) = await app.SignedInPerson("Eve Push");
        var roomId = await ada.CreateRoom("Push room <b>", "Public");
        foreach (var member in new[] { bob, cleo, dan, eve })
            await member.Join(roomId);
        using var adaPhone = new PushBrowser(push);
        using var bobPhone = new PushBrowser(push);
        using var cleoPhone = new PushBrowser(push);
        using var danPhone = new PushBrowser(push);
        using var evePhone = new PushBrowser(push);
        foreach (var (visitor, browser) in new[] { (ada, adaPhone), (bob, bobPhone), (cleo, cleoPhone), (dan, danPhone), (eve, evePhone) })
            Assert.Equal(HttpStatusCode.NoContent, await browser.Subscribe(visitor));
        await SetLevel(cleo, roomId, "All");
        await SetLevel(eve, roomId, "All");
        await SetLevel(dan, roomId, "Nothing");
        Assert.Equal(NotifyLevel.Nothing, await app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId && m.User!.DisplayName == "Dan Push").Select(m => m.Notify).SingleAsync()));
        // Eve has the room open: she reads along and needs no notification.
        await using var eveHere = await Open(app, eve, roomId);
        await eveHere.Resume(0);

        await ada.Send(roomId, "Lunch at noon?");
        var toCleo = await push.Next(cleoPhone);
        Assert.Equal("Ada Push in Push room <b>", toCleo.GetProperty("title").GetString());
        Assert.StartsWith("Lunch at noon?", toCleo.GetProperty("body").GetString());
        Assert.Equal($"room-{roomId}", toCleo.GetProperty("tag").GetString());
        var messageId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == "Lunch at noon?").Select(m => m.Id).SingleAsync());
        Assert.Equal($"/rooms/{roomId}?at={messageId}#message-{messageId}", toCleo.GetProperty("url").GetString());
        var delivery = push.Deliveries.Single(d => d.Path == cleoPhone.Path);
        // Signed for the push service's origin (Lib.Net.Http.WebPush leaves out the port, which the real services' 443 never needs).
        var service = new Uri(push.Origin);
        PushBrowser.AssertSigned(delivery, await SiteKey(cleo), $"{service.Scheme}://{service.Host}");
        Assert.Equal($"room-{roomId}", delivery.Topic);

        // Bob is mentioned: he hears of it; so does Cleo, who hears of everything (two unread now).
        await ada.Send(roomId, "@bob-push can you book the table?");
        var toBob = await push.Next(bobPhone);
        Assert.Equal("Ada Push in Push room <b>", toBob.GetProperty("title").GetString());
        Assert.StartsWith("@bob-push can you book the table?", toBob.GetProperty("body").GetString());
        var again = await push.Next(cleoPhone);
        Assert.Equal(2, again.GetProperty("unread").GetInt64());
        Assert.EndsWith("2 unread", again.GetProperty("body").GetString());

        // Bob answers: nothing to Bob himself; Cleo hears; the rest were never told anything.
        await bob.Send(roomId, "Done.");
        await push.Next(cleoPhone);
        Assert.Equal(1, push.CountFor(bobPhone));
        Assert.Equal(0, push.CountFor(danPhone));
        Assert.Equal(0, push.CountFor(evePhone));
        Assert.Equal(0, push.CountFor(adaPhone));
    }

    [Fact]
    public async Task A_direct_message_reaches_an_away_person_and_a_subscription_the_push_service_says_is_gone_is_removed()
    {
        var (ada, _) = await app.SignedInPerson("Ada Direct Push");
        var (bob, _) = await app.SignedInPerson("Bob Direct Push");
        var roomId = await ada.CreateRoom("Where they met", "Public");
        await bob.Join(roomId);
        using var laptop = new PushBrowser(push);
        using var oldPhone = new PushBrowser(push);
        Assert.Equal(HttpStatusCode.NoContent, await laptop.Subscribe(bob));
        Assert.Equal(HttpStatusCode.NoContent, await oldPhone.Subscribe(bob));
        push.Gone[oldPhone.Path["/push/".Length..]] = true;
        var bobId = await app.WithDb(db => db.Users.Where(u => u.DisplayName == "Bob Direct Push").Select(u => u.Id).SingleAsync());
        var direct = await ada.Post($"/direct/with/{bobId}", new Dictionary<string, string> { ["__RequestVerificationToken"] = await ada.AnyToken() });
        var directId = int.Parse(direct.Location!.Split('/')[2].Split('#')[0]);

        await ada.Send(directId, "Are you free tonight?");
        var toBob = await push.Next(laptop);
        Assert.Equal("Ada Direct Push", toBob.GetProperty("title").GetString());
        Assert.Equal("Are you free tonight?", toBob.GetProperty("body").GetString());
        await push.Next(oldPhone); // the push service answered 410
        await Eventually.True(async () => !await app.WithDb(db => db.PushSubscriptions.AnyAsync(s => s.Endpoint == oldPhone.Endpoint)),
            what: "the gone subscription removed");
        Assert.True(await app.WithDb(db => db.PushSubscriptions.AnyAsync(s => s.Endpoint == laptop.Endpoint)));
    }

    [Fact]
    public async Task Only_subscriptions_to_a_known_push_service_with_valid_keys_are_taken()
    {
        var (ada, _) = await app.SignedInPerson("Ada Subscribes");
        using var browser = new PushBrowser(push);
        var keys = ((dynamic)browser.Json).keys;
        // The server would post to whatever address it is given: only the push services it knows.
        foreach (var endpoint in new[] { "http://169.254.169.254/latest/meta-data", "http://127.0.0.1:1/push/x", "https://fcm.googleapis.com.evil.test/x", "not an address" })
            Assert.Equal(HttpStatusCode.UnprocessableEntity, await browser.Subscribe(ada, new { endpoint, keys }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await browser.Subscribe(ada, new { endpoint = browser.Endpoint, keys = new { p256dh = "AAAA", auth = "short" } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await browser.Subscribe(ada, new { nothing = true }));
        Assert.Equal(0, await app.WithDb(db => db.PushSubscriptions.CountAsync(s => s.User!.DisplayName == "Ada Subscribes")));

        // Without the page's token, nothing; with it, the subscription, once however often; then removed.
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/notifications/subscriptions") { Content = System.Net.Http.Json.JsonContent.Create(browser.Json) })
            Assert.Equal(HttpStatusCode.BadRequest, (await ada.Client.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, await browser.Subscribe(ada));
        Assert.Equal(HttpStatusCode.NoContent, await browser.Subscribe(ada));
        Assert.Equal(1, await app.WithDb(db => db.PushSubscriptions.CountAsync(s => s.Endpoint == browser.Endpoint)));
        using var remove = new HttpRequestMessage(HttpMethod.Post, "/notifications/subscriptions/remove") { Content = System.Net.Http.Json.JsonContent.Create(new { endpoint = browser.Endpoint }) };
        remove.Headers.Add("RequestVerificationToken", await ada.AnyToken());
        Assert.Equal(HttpStatusCode.NoContent, (await ada.Client.SendAsync(remove)).StatusCode);
        Assert.Equal(0, await app.WithDb(db => db.PushSubscriptions.CountAsync(s => s.Endpoint == browser.Endpoint)));
    }

    [Fact]
    public async Task The_level_is_a_members_own_and_a_made_up_one_is_refused()
    {
        var (ada, _) = await app.SignedInPerson("Ada Levels");
        var (eve, _) = await app.SignedInPerson("Eve Levels");
        var roomId = await ada.CreateRoom("Levels");
        var page = await ada.Get($"/rooms/{roomId}");
        Assert.Equal("Mentions", page.Document.QuerySelector("#notify-level-select option[selected]")!.GetAttribute("value"));
        Assert.Equal("Notifications", page.Document.QuerySelector("label[for='notify-level-select']")!.TextContent.Trim());

        await SetLevel(ada, roomId, "All");
        Assert.Equal("All", (await ada.Get($"/rooms/{roomId}")).Document.QuerySelector("#notify-level-select option[selected]")!.GetAttribute("value"));
        var token = await ada.AnyToken();
        Assert.Equal(HttpStatusCode.BadRequest, (await ada.Post($"/rooms/{roomId}/notifications", new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["level"] = "Loud" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await ada.Post($"/rooms/{roomId}/notifications", new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["level"] = "7" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Post($"/rooms/{roomId}/notifications", new Dictionary<string, string> { ["__RequestVerificationToken"] = await eve.AnyToken(), ["level"] = "Nothing" })).Status);
    }
}
