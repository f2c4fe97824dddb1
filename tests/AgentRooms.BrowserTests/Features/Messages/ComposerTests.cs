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
    public async Task Typing_on_through_a_slow_send_over_the_socket_loses_no_character_and_shows_it_pending()
    {
        await using var alice = await Person.Arrive(chromium, app, "Typist");
        await alice.Register();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The room's socket, with every send held for as long as the test wants.
        await alice.Page.RouteWebSocketAsync(new Regex("/rooms/\\d+/live$"), page =>
        {
            var server = page.ConnectToServer();
            page.OnMessage(frame =>
            {
                if (frame.Text?.Contains("\"send\"") != true)
                {
                    server.Send(frame.Text!);
                    return;
                }
                arrived.TrySetResult();
                held.Task.ContinueWith(_ => server.Send(frame.Text), TaskScheduler.Default);
            });
            server.OnMessage(frame => page.Send(frame.Text!));
        });
        await alice.CreateRoom("Fast fingers", "Private");

        await alice.Composer.PressSequentiallyAsync("first line");
        await alice.Composer.PressAsync("Shift+Enter");
        await alice.Composer.PressSequentiallyAsync("second line");
        await alice.Composer.PressAsync("Enter");
        await alice.Composer.PressSequentiallyAsync("typed while it was sending");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var log = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        var echo = log.GetByRole(AriaRole.Article).Last;
        await Expect(echo).ToContainTextAsync("Sending…");
        await Expect(echo).ToContainTextAsync(new Regex("first line\\s+second line"));
        await Expect(alice.Composer).ToHaveValueAsync("typed while it was sending");
        held.SetResult();
        await Expect(log.Locator("article[data-seq]")).ToHaveCountAsync(1);
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(1); // the echo made way for the message
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync(new Regex("first line\\s+second line"));
        await Expect(alice.Composer).ToHaveValueAsync("typed while it was sending");

        await alice.Composer.PressAsync("Enter");
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveTextAsync([new Regex("first line"), new Regex("typed while it was sending")]);
        await Expect(alice.Composer).ToHaveValueAsync("");
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task Without_a_socket_a_slow_form_post_loses_no_character_either()
    {
        await using var bob = await Person.Arrive(chromium, app, "Walled");
        await bob.Register();
        // A network that refuses the room's socket for good (as a proxy without WebSockets might):
        // sends go by form post, and this one is slow.
        await bob.Page.RouteWebSocketAsync(new Regex("/rooms/\\d+/live$"), page =>
            page.CloseAsync(new() { Code = 1008, Reason = "blocked" }));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.Page.RouteAsync(new Regex("/rooms/\\d+/messages$"), async route =>
        {
            arrived.TrySetResult();
            await held.Task;
            await route.ContinueAsync();
        });
        var roomUrl = await bob.CreateRoom("No sockets", "Private");
        await Expect(bob.Page.Locator("#connection")).ToContainTextAsync("stopped updating");

        await bob.Composer.PressSequentiallyAsync("by post");
        await bob.Composer.PressAsync("Enter");
        await bob.Composer.PressSequentiallyAsync("still typing");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Expect(bob.Composer).ToHaveValueAsync("still typing");
        held.SetResult();
        var log = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Sent");
        await Expect(bob.Composer).ToHaveValueAsync("still typing");

        await bob.Page.GotoAsync(roomUrl.ToString());
        await Expect(log.Locator("article[data-seq]")).ToHaveTextAsync([new Regex("by post")]);
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        await Expect(bob.Composer).ToHaveValueAsync("still typing");
    }

    [Fact]
    public async Task A_refused_send_is_marked_not_sent_keeps_its_text_across_a_reload_and_can_be_edited()
    {
        await using var bob = await Person.Arrive(chromium, app, "Unlucky");
        await bob.Register();
        var roomUrl = await bob.CreateRoom("Bad line", "Private");
        var log = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(bob.Page.Locator(".room")).ToHaveAttributeAsync("data-live", "true");

        // Longer than a message may be (the field's own limit set aside): the server refuses it.
        await bob.Composer.EvaluateAsync("f => { f.removeAttribute('maxlength'); f.value = 'Worth keeping ' + 'x'.repeat(4000); }");
        await bob.Composer.PressAsync("Enter");

        var echo = log.GetByRole(AriaRole.Article).Last;
        await Expect(echo).ToContainTextAsync("Not sent");
        await Expect(echo).ToContainTextAsync("at most 4000 characters");
        await echo.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(echo).ToContainTextAsync("Not sent");
        await bob.Page.ReloadAsync();
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        await Expect(echo).ToContainTextAsync("Not sent");
        await Expect(echo).ToContainTextAsync("Worth keeping");

        await echo.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(0);
        Assert.StartsWith("Worth keeping xxx", await bob.Composer.InputValueAsync());
        await bob.Composer.FillAsync("Worth keeping, shorter");
        await bob.Composer.PressAsync("Enter");
        await Expect(log.Locator("article[data-seq]")).ToHaveTextAsync([new Regex("Worth keeping, shorter")]);
        await bob.Page.GotoAsync(roomUrl.ToString());
        await Expect(log.GetByRole(AriaRole.Article)).ToHaveCountAsync(1);
        Assert.Empty(bob.Problems);
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
