using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Saved;

public sealed class SavedTestsOnSqlite(SqliteAppFactory app) : SavedTests(app), IClassFixture<SqliteAppFactory>;

public sealed class SavedTestsOnMariaDb(MariaDbAppFactory app) : SavedTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Anyone saves a message for later: theirs alone, on /saved, and only from rooms they read.</summary>
public abstract class SavedTests(AppFactory app)
{
    private static async Task<Visitor.Page> Save(Visitor visitor, long messageId, bool saved) =>
        await visitor.PostAsHtmx("/saved", new Dictionary<string, string>
        {
            ["messageId"] = messageId.ToString(), ["saved"] = saved ? "true" : "false", ["__RequestVerificationToken"] = await visitor.AnyToken(),
        });

    [Fact]
    public async Task A_member_saves_messages_for_later_and_nobody_else_sees_the_list()
    {
        var (sam, _) = await app.SignedInPerson("Sam Saves");
        var (tia, _) = await app.SignedInPerson("Tia Elsewhere");
        var roomId = await sam.CreateRoom("Reading list");
        await sam.Send(roomId, "The onboarding guide is in the wiki under People.");
        await sam.Send(roomId, "Lunch is at one.");
        var guide = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content.StartsWith("The onboarding")).Select(m => m.Id).SingleAsync());

        Assert.Contains("Nothing saved yet.", (await sam.Get("/saved")).Text);
        Assert.Equal(HttpStatusCode.NoContent, (await Save(sam, guide, true)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Save(sam, guide, true)).Status); // twice is once
        var list = await sam.Get("/saved");
        var results = list.Document.QuerySelectorAll(".search-results li");
        Assert.Contains("The onboarding guide is in the wiki", Assert.Single(results).TextContent);
        Assert.DoesNotContain("Lunch is at one.", list.Text);
        // The room page knows what its viewer saved, and only theirs.
        Assert.Equal(guide.ToString(), (await sam.Get($"/rooms/{roomId}")).Document.QuerySelector(".room")!.GetAttribute("data-saved"));

        // Someone outside the room can neither save its messages nor see anyone's list.
        Assert.Equal(HttpStatusCode.NotFound, (await Save(tia, guide, true)).Status);
        Assert.Contains("Nothing saved yet.", (await tia.Get("/saved")).Text);

        // Unsave from the list, without JavaScript: back to the list, now empty.
        var unsaved = await list.Submit(sam, "Unsave", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, unsaved.Status);
        Assert.Equal("/saved", unsaved.Location);
        Assert.Contains("Nothing saved yet.", (await sam.Get("/saved")).Text);

        // From the message's page: Save, then it offers Unsave.
        var messagePage = await sam.Get($"/rooms/{roomId}/messages/{guide}");
        var form = messagePage.Document.QuerySelector("form.save-form")!;
        Assert.Equal("Save", form.QuerySelector("button")!.TextContent);
        var saved = await sam.Post(form.GetAttribute("action")!, form.QuerySelectorAll("input").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value")!));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.NotNull((await sam.Get(saved.Location!)).Document.QuerySelectorAll("form.save-form button").SingleOrDefault(b => b.TextContent == "Unsave"));
        Assert.Single((await sam.Get("/saved")).Document.QuerySelectorAll(".search-results li"));
    }
}
