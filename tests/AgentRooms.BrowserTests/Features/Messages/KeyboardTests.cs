using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>The history by keyboard: one Tab stop for all of it, arrow keys between messages, Esc back to the composer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Tab_crosses_the_history_in_one_stop_and_the_arrow_keys_move_between_messages()
    {
        await using var kim = await Person.Arrive(chromium, app, "Kim Keys");
        await using var lee = await Person.Arrive(chromium, app, "Lee Later");
        await Task.WhenAll(kim.Register(), lee.Register());
        var roomUrl = await kim.CreateRoom("Arrow keys", "Public");
        await lee.Join(roomUrl);
        await app.Post(kim.Email, roomUrl, 22, "Note");
        await kim.Page.ReloadAsync();
        await Expect(kim.Composer).ToBeVisibleAsync();
        var articles = kim.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]");
        await Expect(articles).ToHaveCountAsync(22);

        // From the top of the page to the composer: the history is the newest message and its own
        // controls, not every message's Reply, Add reaction, Edit and Delete.
        await kim.Page.Locator("body").FocusAsync();
        var inHistory = new List<string>();
        for (var presses = 1; ; presses++)
        {
            Assert.True(presses < 60, $"the composer is {presses} Tab presses away");
            await kim.Page.Keyboard.PressAsync("Tab");
            if (await kim.Composer.EvaluateAsync<bool>("field => document.activeElement === field"))
                break;
            var where = await kim.Page.EvaluateAsync<string?>(
                "() => { const item = document.activeElement.closest('#messages > [data-seq]'); return item ? item.id + (item === document.activeElement ? '' : ' ' + document.activeElement.textContent.trim()) : null; }");
            if (where is not null)
                inHistory.Add(where);
        }
        var newest = await articles.Last.GetAttributeAsync("id");
        Assert.Equal(newest, inHistory[0]); // the message itself first
        Assert.All(inHistory, stop => Assert.StartsWith(newest!, stop));
        Assert.Contains($"{newest} Reply", inHistory);
        Assert.Contains($"{newest} Edit", inHistory);

        // ↑ and ↓ move between messages; Tab goes into the one reached; Esc returns to the composer.
        await articles.Last.FocusAsync();
        await kim.Page.Keyboard.PressAsync("ArrowUp");
        await kim.Page.Keyboard.PressAsync("ArrowUp");
        await Expect(articles.Nth(19)).ToBeFocusedAsync();
        await Expect(articles.Nth(19)).ToContainTextAsync("Note 20");
        await kim.Page.Keyboard.PressAsync("ArrowDown");
        await Expect(articles.Nth(20)).ToBeFocusedAsync();
        await kim.Page.Keyboard.PressAsync("Tab");
        await Expect(articles.Nth(20).GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToBeFocusedAsync();
        await kim.Page.Keyboard.PressAsync("Home");
        await Expect(kim.Page.Locator("#messages > [data-seq]").First).ToBeFocusedAsync();
        await kim.Page.Keyboard.PressAsync("End");
        await Expect(articles.Last).ToBeFocusedAsync();
        await kim.Page.Keyboard.PressAsync("ArrowUp");
        await kim.Page.Keyboard.PressAsync("Escape");
        await Expect(kim.Composer).ToBeFocusedAsync();

        // Shift+Tab from the composer comes back to the message last visited, through its controls.
        await kim.Page.Keyboard.PressAsync("Shift+Tab");
        var back = await kim.Page.EvaluateAsync<string?>("() => document.activeElement.closest('#messages > [data-seq]')?.id ?? null");
        Assert.Equal(await articles.Nth(20).GetAttributeAsync("id"), back);

        // A message that arrives meanwhile joins the order only through the arrow keys: still one stop.
        await lee.Say("something new");
        await Expect(articles).ToHaveCountAsync(23);
        await Expect(articles.Last.GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToHaveAttributeAsync("tabindex", "-1");
        await Expect(articles.Last).ToHaveAttributeAsync("tabindex", "-1");

        // The message moved to is marked, and shows its controls.
        await kim.Composer.FocusAsync();
        await kim.Page.Keyboard.PressAsync("Shift+Tab");
        await kim.Page.Keyboard.PressAsync("ArrowUp");
        await Expect(articles.Nth(19)).ToBeFocusedAsync();
        await Expect(articles.Nth(19).GetByRole(AriaRole.Button, new() { Name = "Reply" })).ToBeVisibleAsync();
        Assert.Empty(await AccessibilityTests.EveryView(kim.Page, "keyboard"));
        Assert.Empty(kim.Problems);
    }
}
