using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Rooms;

[Collection(BrowserCollection.Name)]
public sealed class LiveRoomTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Two_people_chat_live_and_see_each_other_typing()
    {
        await using var alice = await Person.Arrive(chromium, app, "Alice");
        await using var bob = await Person.Arrive(chromium, app, "Bob");
        await Task.WhenAll(alice.Register(), bob.Register());

        var roomUrl = await alice.CreateRoom("Tea room", "Public");
        await bob.Page.GotoAsync("/rooms");
        await bob.Page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Tea room" })
            .GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(bob.Page).ToHaveURLAsync(roomUrl + "#latest");
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "Tea room", Level = 1 })).ToBeVisibleAsync();

        // Alice sees Bob arrive without reloading.
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Bob");

        await bob.Composer.PressSequentiallyAsync("Hello");
        await Expect(alice.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "typing" }))
            .ToHaveTextAsync("Bob is typing…");
        // Bob's page got the same news and leaves him out: nobody sees themselves typing.
        await Expect(bob.Page.Locator("#typing")).ToHaveAttributeAsync("data-typers", new Regex("Bob"));
        await Expect(bob.Page.Locator("#typing")).ToHaveTextAsync("");

        await bob.Composer.PressSequentiallyAsync(" **Alice**, have some `tea`");
        await bob.Composer.PressAsync("Enter");

        var log = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        var message = log.GetByRole(AriaRole.Article).Last;
        await Expect(message).ToContainTextAsync("Hello Alice, have some tea");
        await Expect(message.Locator("strong")).ToHaveTextAsync("Alice");
        await Expect(message.Locator("code")).ToHaveTextAsync("tea");
        await Expect(alice.Page.Locator("#typing")).ToHaveTextAsync("");

        // The sender sees it too, once, and the composer is empty for the next one.
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        await Expect(bob.Composer).ToHaveValueAsync("");

        await alice.Composer.FillAsync("Thanks Bob");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article))
            .ToHaveTextAsync([new Regex("Hello Alice"), new Regex("Thanks Bob")]);
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task A_page_that_loses_its_connection_shows_every_missed_message_once()
    {
        await using var carol = await Person.Arrive(chromium, app, "Carol");
        await using var dave = await Person.Arrive(chromium, app, "Dave");
        await Task.WhenAll(carol.Register(), dave.Register());
        var roomUrl = await carol.CreateRoom("Flaky wifi", "Public");
        await dave.Page.GotoAsync(roomUrl.ToString());
        await dave.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        // Dave's page is connected (he shows as here), so there is a socket for the network to take away.
        await Expect(carol.Page.GetByLabel("Members").Locator("li.here", new() { HasText = "Dave" })).ToBeVisibleAsync();

        await dave.GoOffline(app);
        await Expect(dave.Page.Locator("#connection")).ToHaveTextAsync("Reconnecting…");
        for (var i = 1; i <= 5; i++)
        {
            await carol.Composer.FillAsync($"missed {i}");
            await carol.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(carol.Composer).ToHaveValueAsync("");
        }
        // Dave writes on meanwhile: his sends wait, in order, and go once each when he is back.
        for (var i = 1; i <= 3; i++)
        {
            await dave.Composer.FillAsync($"queued {i}");
            await dave.Composer.PressAsync("Enter");
        }
        var log = dave.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article);
        await Expect(log.Last).ToContainTextAsync("Waiting for the connection…");
        await dave.ComeBackOnline();
        // Back online, the page reconnects (attempts are at most five seconds apart; a loaded machine
        // may take longer to get one through), then catches up.
        await Expect(dave.Page.Locator(".room")).ToHaveAttributeAsync("data-live", "true", new() { Timeout = 30_000 });
        await Expect(dave.Page.Locator("#connection")).ToHaveTextAsync("Connected"); // for two seconds

        var expected = Enumerable.Range(1, 5).Select(i => new Regex($"missed {i}(?!\\d)"))
            .Concat(Enumerable.Range(1, 3).Select(i => new Regex($"queued {i}(?!\\d)"))).ToArray();
        await Expect(log).ToHaveTextAsync(expected);
        await Expect(dave.Page.Locator("#connection")).ToBeHiddenAsync();
        await Expect(carol.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article)).ToHaveTextAsync(expected);
        await dave.Page.ReloadAsync();
        await Expect(log).ToHaveTextAsync(expected);
    }

    [Fact]
    public async Task Without_javascript_a_person_reads_and_sends_with_plain_forms()
    {
        await using var erin = await Person.Arrive(chromium, app, "Erin", javaScript: false);
        await erin.Register();
        var roomUrl = await erin.CreateRoom("Plain room", "Private");

        await erin.Composer.FillAsync("No *script* needed");
        await erin.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(erin.Page).ToHaveURLAsync(new Regex(Regex.Escape(roomUrl.AbsolutePath) + "#message-\\d+$"));
        var message = erin.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last;
        await Expect(message).ToContainTextAsync("No script needed");
        await Expect(message.Locator("em")).ToHaveTextAsync("script");
        // Enter adds a line here, so the box does not say it sends.
        await Expect(erin.Composer).ToHaveAttributeAsync("placeholder", "Write a message…");
    }

    [Fact]
    public async Task Without_javascript_an_agent_answer_arrives_without_reloading_by_hand()
    {
        app.Model.Scripts["plain-owl-model"] = new AgentRooms.Tests.Shared.ModelScript
        {
            Chunks = ["Patience ", "is ", "a ", "virtue."],
            BetweenChunks = TimeSpan.FromMilliseconds(1500),
        };
        await using var erin = await Person.Arrive(chromium, app, "Erin Waits", javaScript: false);
        await erin.Register();
        await erin.CreateAgent("Plain Owl", "plain-owl", "plain-owl-model");
        await erin.CreateRoom("Plain parliament", "Private");
        await erin.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Plain Owl (@plain-owl)" });
        await erin.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();

        await erin.Composer.FillAsync("@plain-owl what is a virtue?");
        await erin.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        // While the agent answers, the page says the answer comes with a reload, and asks the browser for
        // one every few seconds (a noscript refresh, which Chromium with scripts turned off by the test
        // does not act on: the test reloads once the answer is saved).
        await Expect(erin.Page.Locator("#replies")).ToContainTextAsync("Plain Owl is answering");
        await Expect(erin.Page.GetByText("The answer appears when this page reloads.")).ToBeVisibleAsync();
        Assert.Equal(1, await erin.Page.Locator("head noscript").CountAsync());
        await AgentRooms.Tests.Support.Eventually.True(() => app.WithDb(db =>
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.AgentReplies, r => r.CompletedAt != null && r.Agent!.Handle == "plain-owl")), TimeSpan.FromSeconds(30), "the answer");
        await erin.Page.ReloadAsync();
        var answer = erin.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last;
        await Expect(answer).ToContainTextAsync("Patience is a virtue.");
        await Expect(erin.Page.Locator("head noscript")).ToHaveCountAsync(0);
    }
}
