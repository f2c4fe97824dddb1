using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>The composer never loses what is typed: not during a slow send, not on a failed one, not on a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposerTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Typing_on_through_a_slow_send_loses_no_character()
    {
        await using var alice = await Person.Arrive(chromium, app, "Typist");
        await alice.Register();
        await alice.CreateRoom("Fast fingers", "Private");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await alice.Page.RouteAsync(new Regex("/rooms/\\d+/messages$"), async route =>
        {
            arrived.TrySetResult();
            await held.Task; // the send takes as long as the test wants
            await route.ContinueAsync();
        });

        await alice.Composer.PressSequentiallyAsync("first line");
        await alice.Composer.PressAsync("Shift+Enter");
        await alice.Composer.PressSequentiallyAsync("second line");
        await alice.Composer.PressAsync("Enter");
        await alice.Composer.PressSequentiallyAsync("typed while it was sending");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Expect(alice.Composer).ToHaveValueAsync("typed while it was sending");
        held.SetResult();
        var log = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync(new Regex("first line\\s+second line"));
        await Expect(alice.Composer).ToHaveValueAsync("typed while it was sending");

        await alice.Composer.PressAsync("Enter");
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveTextAsync([new Regex("first line"), new Regex("typed while it was sending")]);
        await Expect(alice.Composer).ToHaveValueAsync("");
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task A_send_that_fails_puts_the_text_back_and_says_so_and_sending_again_posts_it_once()
    {
        await using var bob = await Person.Arrive(chromium, app, "Unlucky");
        await bob.Register();
        await bob.CreateRoom("Bad line", "Private");
        var attempts = 0;
        await bob.Page.RouteAsync(new Regex("/rooms/\\d+/messages$"), async route =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
                await route.AbortAsync("connectionreset"); // the network drops the first send
            else
                await route.ContinueAsync();
        });

        await bob.Composer.FillAsync("Worth keeping");
        await bob.Composer.PressAsync("Enter");

        await Expect(bob.Composer).ToHaveValueAsync("Worth keeping");
        await Expect(bob.Page.Locator("#composer-error")).ToContainTextAsync("not sent");
        await bob.Composer.PressAsync("Enter");
        var log = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveTextAsync([new Regex("Worth keeping")]);
        await Expect(bob.Composer).ToHaveValueAsync("");
        await Expect(bob.Page.Locator("#composer-error")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task What_is_typed_survives_a_reload_until_it_is_sent()
    {
        await using var carol = await Person.Arrive(chromium, app, "Drafter");
        await carol.Register();
        var roomUrl = await carol.CreateRoom("Drafts", "Private");

        await carol.Composer.PressSequentiallyAsync("half a thought");
        await carol.Page.ReloadAsync();

        await Expect(carol.Composer).ToHaveValueAsync("half a thought");
        await carol.Composer.PressAsync("Enter");
        await Expect(carol.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        await carol.Page.GotoAsync(roomUrl.ToString());
        await Expect(carol.Composer).ToHaveValueAsync("");
        Assert.Empty(carol.Problems);
    }
}
