using AgentRooms.BrowserTests.Support;
using AgentRooms.Data.Messages;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.CatchUp;

[Collection(BrowserCollection.Name)]
public sealed class CatchUpBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_returning_member_summarizes_what_they_missed_and_follows_a_citation_to_the_message()
    {
        await using var alice = await Person.Arrive(chromium, app, "Priya");
        await using var bob = await Person.Arrive(chromium, app, "Quentin");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Release planning", "Public");
        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Quentin");
        await bob.Page.GotoAsync("/agents"); // Bob steps away

        foreach (var text in new[] { "Shall we ship on Friday?", "Quentin, can you check the release notes?", "Carol agreed to Friday." })
            await alice.Say(text);
        var roomId = int.Parse(roomUrl.Segments[^1]);
        await Expect(alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]")).ToHaveCountAsync(3); // saved, not just sent
        var ids = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.User).OrderBy(m => m.Seq).Select(m => m.Id).ToListAsync());
        app.Model.Scripts["browser-summary"] = new ModelScript
        {
            Chunks = ["**Friday** is the ship date ", $"[#{ids[0]}, #{ids[2]}]. ", "You were asked to ", $"check the release notes [#{ids[1]}]."],
            BetweenChunks = TimeSpan.FromMilliseconds(300),
        };

        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Summarize unread (3)" }).ClickAsync();

        // It streams in for Bob alone, then the finished summary replaces it with its citations.
        var summary = bob.Page.GetByRole(AriaRole.Region, new() { Name = "What you missed" });
        await Expect(summary).ToContainTextAsync("Friday is the ship date");
        await Expect(summary.Locator(".catch-up-final")).ToContainTextAsync("You were asked to check the release notes", new() { Timeout = 15_000 });
        await Expect(summary.Locator(".catch-up-final strong")).ToHaveTextAsync("Friday");
        await Expect(summary.GetByRole(AriaRole.Link)).ToHaveCountAsync(3);
        await Expect(alice.Page.Locator(".catch-up")).ToHaveCountAsync(0);

        // A citation leads to its message, in place.
        await summary.GetByRole(AriaRole.Link, new() { Name = "Priya" }).Nth(2).ClickAsync();
        await Expect(bob.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#message-{ids[1]}$"));
        await Expect(bob.Page.Locator($"#message-{ids[1]}")).ToBeFocusedAsync();

        var found = new List<string>();
        var shots = Environment.GetEnvironmentVariable("AGENTROOMS_SHOTS");
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await bob.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
            found.AddRange(await AccessibilityTests.Violations(bob.Page, $"room with a summary ({scheme})"));
            if (shots is not null)
                await bob.Page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"catch-up-laptop-{scheme}.png") });
        }
        Assert.Empty(found);

        // The card keeps to a third of the screen, so the conversation stays in view; folded, it is a line.
        var viewport = bob.Page.ViewportSize!.Height;
        Assert.True((await summary.BoundingBoxAsync())!.Height <= viewport / 3.0 + 1, "the summary takes more than a third of the screen");
        Assert.True((await bob.Page.Locator("#messages").BoundingBoxAsync())!.Height >= 200, "little of the conversation is left in view");
        var fold = summary.GetByRole(AriaRole.Button, new() { Name = "Collapse summary" });
        await fold.ClickAsync();
        await Expect(summary.GetByRole(AriaRole.Button, new() { Name = "Expand summary" })).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(summary.Locator(".catch-up-final")).ToBeHiddenAsync();
        Assert.True((await summary.BoundingBoxAsync())!.Height < 80, "a folded summary is more than a line");
        await summary.GetByRole(AriaRole.Button, new() { Name = "Expand summary" }).ClickAsync();
        await Expect(summary.Locator(".catch-up-final")).ToBeVisibleAsync();

        await summary.GetByRole(AriaRole.Button, new() { Name = "Close summary" }).ClickAsync();
        await Expect(summary).ToBeHiddenAsync();
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }
}
