using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>Where the reader is: at the end the view follows; scrolled up it stays, and says what arrived below.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FollowingTests(LiveApp app, Chromium chromium)
{
    private const string DistanceFromEnd = "() => { const m = document.getElementById('messages'); return m.scrollHeight - m.scrollTop - m.clientHeight; }";

    [Fact]
    public async Task A_long_streamed_reply_stays_in_the_list_keeps_the_composer_in_place_and_is_followed_to_its_end()
    {
        app.Model.Scripts["bard-model"] = new ModelScript
        {
            Chunks = Enumerable.Range(1, 200).Select(i => $"line {i}\n").ToArray(),
            BetweenChunks = TimeSpan.FromMilliseconds(15),
        };
        await using var alice = await Person.Arrive(chromium, app, "Listener");
        await alice.Register();
        await alice.CreateAgent("Bard", "bard", "bard-model");
        await alice.CreateRoom("Long answers", "Private");
        await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Bard (@bard)" });
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        var log = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });

        await alice.Say("@bard recite all of it");
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("line 1");
        var composerBefore = (await alice.Composer.BoundingBoxAsync())!; // once the reply has begun

        // The streaming reply is an article of the log itself, and the reader at the end is kept there.
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("line 120");
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Bard is answering…");
        var composerDuring = (await alice.Composer.BoundingBoxAsync())!;
        Assert.Equal(composerBefore.Y, composerDuring.Y, 1.0);
        Assert.True(await alice.Page.Locator("#messages").EvaluateAsync<double>("m => m.clientHeight") > 150, "the list keeps its height");

        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("line 200", new() { Timeout = 15_000 });
        await Expect(log.Locator(".streaming")).ToHaveCountAsync(0);
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(2);
        Assert.Equal(composerBefore.Y, (await alice.Composer.BoundingBoxAsync())!.Y, 1.0);
        await alice.Page.WaitForFunctionAsync($"({DistanceFromEnd})() < 2");
        Assert.True(await alice.Composer.IsVisibleAsync());
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task Scrolled_up_the_view_stays_put_and_Jump_to_latest_counts_what_arrived()
    {
        await using var alice = await Person.Arrive(chromium, app, "Chatty");
        await using var bob = await Person.Arrive(chromium, app, "Reader");
        await Task.WhenAll(alice.Register(), bob.Register());
        var roomUrl = await alice.CreateRoom("Busy room", "Public");
        for (var i = 1; i <= 30; i++)
        {
            await alice.Say($"Old news {i}");
        }
        await bob.Join(roomUrl);
        var bobLog = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(bobLog.GetByRole(AriaRole.Article)).ToHaveCountAsync(30);
        var jump = bob.Page.GetByRole(AriaRole.Button, new() { Name = "Jump to latest" });

        // The room opens at its newest message; Bob scrolls back to read.
        await bob.Page.WaitForFunctionAsync($"({DistanceFromEnd})() < 2");
        await bob.Page.Locator("#messages").EvaluateAsync("m => { m.scrollTop = 0; }");
        await Expect(jump).ToBeVisibleAsync(); // far from the end, even with nothing new
        // Below the log, never over the messages being read.
        var log = (await bob.Page.Locator("#messages").BoundingBoxAsync())!;
        Assert.True((await jump.BoundingBoxAsync())!.Y >= log.Y + log.Height - 0.5, "Jump to latest covers the log");
        await Expect(jump).Not.ToContainTextAsync("new");

        for (var i = 1; i <= 3; i++)
        {
            await alice.Say($"Fresh news {i}");
        }
        await Expect(bobLog.GetByRole(AriaRole.Article)).ToHaveCountAsync(33);
        await Expect(jump).ToContainTextAsync("3 new");
        Assert.Equal(0, await bob.Page.Locator("#messages").EvaluateAsync<double>("m => m.scrollTop"));

        await jump.ClickAsync();
        await bob.Page.WaitForFunctionAsync($"({DistanceFromEnd})() < 2");
        await Expect(jump).ToBeHiddenAsync();

        // At the end, new messages are followed and nothing is counted.
        await alice.Say("Followed");
        await Expect(bobLog.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Followed");
        await bob.Page.WaitForFunctionAsync($"({DistanceFromEnd})() < 2");
        await Expect(jump).ToBeHiddenAsync();

        // While the tab is hidden, its title counts what arrived.
        var title = await bob.Page.TitleAsync();
        await bob.Page.EvaluateAsync("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }); document.dispatchEvent(new Event('visibilitychange')); }");
        await alice.Say("While you were away");
        await Expect(bob.Page).ToHaveTitleAsync("(1) " + title);
        await bob.Page.EvaluateAsync("() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false }); document.dispatchEvent(new Event('visibilitychange')); }");
        await Expect(bob.Page).ToHaveTitleAsync(title);
        Assert.Empty(bob.Problems);
    }
}
