using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Mentions;

public sealed class MentionTestsOnSqlite(SqliteAppFactory app) : MentionTests(app), IClassFixture<SqliteAppFactory>;

public sealed class MentionTestsOnMariaDb(MariaDbAppFactory app) : MentionTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Mentions of people: saved with the message, listed on /mentions, counted in the shell until read.</summary>
public abstract class MentionTests(AppFactory app)
{
    private async Task<long> IdOf(int roomId, string content) =>
        await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == content).Select(m => m.Id).SingleAsync());

    private static async Task<List<string>> Listed(Visitor visitor) =>
        (await visitor.Get("/mentions")).Document.QuerySelectorAll(".search-result .message-body").Select(b => b.TextContent.Trim()).ToList();

    private static async Task<string?> MentionsLink(Visitor visitor) =>
        (await visitor.Get("/rooms/nav")).Document.QuerySelector("a[href='/mentions']")?.GetAttribute("aria-label");

    [Fact]
    public async Task A_mention_by_name_reaches_that_person_only_and_reading_the_room_clears_its_count()
    {
        var name = "Dora " + Guid.NewGuid().ToString("N")[..6];
        var handle = name.ToLowerInvariant().Replace(' ', '-');
        var (ada, _) = await app.SignedInPerson("Ada Mentioner");
        var (dora, _) = await app.SignedInPerson(name);
        var (eve, _) = await app.SignedInPerson("Eve Bystander");
        var roomId = await ada.CreateRoom("Mention room", "Public");
        await dora.Join(roomId);
        await eve.Join(roomId);
        await dora.Get($"/rooms/{roomId}");

        await ada.Send(roomId, $"@{handle} can you look at this?");
        await ada.Send(roomId, $"not you, @{handle}-2, nor {handle} without the at");
        await ada.Send(roomId, $"and again @{handle}!");

        Assert.Equal($"Mentions, 2 unread", await MentionsLink(dora));
        Assert.Equal("Mentions", await MentionsLink(eve));
        var page = await dora.Get("/mentions");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal([$"and again @{handle}!", $"@{handle} can you look at this?"], await Listed(dora));
        Assert.Equal(2, page.Document.QuerySelectorAll(".search-result.unread").Length);
        var first = await IdOf(roomId, $"@{handle} can you look at this?");
        Assert.Equal($"/rooms/{roomId}?at={first}#message-{first}", page.Document.QuerySelectorAll("a.result-link")[1].GetAttribute("href"));
        Assert.Empty(await Listed(eve));
        Assert.Contains("mentions you", (await dora.Get("/rooms/nav")).Document.QuerySelector($"a[href='/rooms/{roomId}#latest']")!.GetAttribute("aria-label"));

        await dora.Get($"/rooms/{roomId}"); // read
        Assert.Equal("Mentions", await MentionsLink(dora));
        Assert.Empty((await dora.Get("/mentions")).Document.QuerySelectorAll(".search-result.unread"));
        Assert.Equal(2, (await Listed(dora)).Count); // read, still listed
    }

    [Fact]
    public async Task An_edit_that_drops_a_mention_drops_it_from_the_list_a_deletion_too_and_a_left_room_shows_none()
    {
        var name = "Finn " + Guid.NewGuid().ToString("N")[..6];
        var handle = name.ToLowerInvariant().Replace(' ', '-');
        var (ada, _) = await app.SignedInPerson("Ada Editor");
        var (finn, _) = await app.SignedInPerson(name);
        var roomId = await ada.CreateRoom("Edited mentions");
        await finn.AcceptInvite(await ada.CreateInvite(roomId));
        var other = await ada.CreateRoom("Other mentions");
        await finn.AcceptInvite(await ada.CreateInvite(other));

        await ada.Send(roomId, "plain at first");
        await ada.Send(roomId, $"@{handle} soon edited away");
        await ada.Send(roomId, $"@{handle} soon deleted");
        await ada.Send(other, $"@{handle} in the other room");
        var plain = await IdOf(roomId, "plain at first");
        var edited = await IdOf(roomId, $"@{handle} soon edited away");
        var deleted = await IdOf(roomId, $"@{handle} soon deleted");
        Assert.Equal(3, (await Listed(finn)).Count);

        await ada.Submit($"/rooms/{roomId}/messages/{edited}", "Save", new Dictionary<string, string> { ["Content"] = "no mention any more" });
        await ada.Submit($"/rooms/{roomId}/messages/{plain}", "Save", new Dictionary<string, string> { ["Content"] = $"now for @{handle}" });
        await ada.Submit($"/rooms/{roomId}/messages/{deleted}", "Delete", new Dictionary<string, string>());
        Assert.Equal([$"@{handle} in the other room", $"now for @{handle}"], await Listed(finn));

        var left = await (await finn.Get($"/rooms/{other}")).Submit(finn, "Leave room", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, left.Status);
        Assert.Equal([$"now for @{handle}"], await Listed(finn));
        // Nobody mentions themselves.
        await finn.Send(roomId, $"me, @{handle}");
        Assert.Single(await Listed(finn));
    }
}
