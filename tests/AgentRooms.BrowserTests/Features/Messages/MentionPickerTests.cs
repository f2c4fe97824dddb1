using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

[Collection(BrowserCollection.Name)]
public sealed class MentionPickerTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task The_mention_picker_lists_agents_and_people_works_from_the_keyboard_and_the_mentioned_person_sees_it()
    {
        await using var alice = await Person.Arrive(chromium, app, "Picker");
        await using var bob = await Person.Arrive(chromium, app, "Bob Stone");
        await Task.WhenAll(alice.Register(), bob.Register());
        await alice.CreateAgent("Bobcat", "bobcat", "any-model");
        var roomUrl = await alice.CreateRoom("Who's who", "Public");
        await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Bobcat (@bobcat)" });
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await bob.Join(roomUrl);
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Bob Stone");
        var picker = alice.Page.GetByRole(AriaRole.Listbox, new() { Name = "Mention someone" });
        var options = picker.GetByRole(AriaRole.Option);

        // Agents first, then people; never yourself.
        await alice.Composer.PressSequentiallyAsync("Hi @bo");
        await Expect(options).ToHaveTextAsync([new Regex("Bobcat.*@bobcat · agent"), new Regex("Bob Stone.*@bob-stone")]);
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true");
        Assert.True(await picker.BoundingBoxAsync() is { } box && box.Y + box.Height <= (await alice.Composer.BoundingBoxAsync())!.Y + 1,
            "the list opens above the composer");

        // ↓ and Enter pick the person; Enter did not send.
        await alice.Composer.PressAsync("ArrowDown");
        await Expect(options.Last).ToHaveAttributeAsync("aria-selected", "true");
        await alice.Composer.PressAsync("Enter");
        await Expect(alice.Composer).ToHaveValueAsync("Hi @bob-stone ");
        await Expect(picker).ToBeHiddenAsync();

        // Esc closes without picking; Tab picks.
        await alice.Composer.PressSequentiallyAsync("and @b");
        await Expect(options).ToHaveCountAsync(2);
        await alice.Composer.PressAsync("Escape");
        await Expect(picker).ToBeHiddenAsync();
        await alice.Composer.PressSequentiallyAsync("obc");
        await Expect(options).ToHaveTextAsync([new Regex("Bobcat")]);
        await alice.Composer.PressAsync("Tab");
        await Expect(alice.Composer).ToHaveValueAsync("Hi @bob-stone and @bobcat ");

        await alice.Composer.PressAsync("Enter");
        var forBob = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]").Filter(new() { HasText = "Hi @bob-stone" });
        await Expect(forBob).ToHaveClassAsync(new Regex("mentions-me"));
        var forAlice = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]").Filter(new() { HasText = "Hi @bob-stone" });
        await Expect(forAlice).ToBeVisibleAsync();
        await Expect(forAlice).Not.ToHaveClassAsync(new Regex("mentions-me"));
        Assert.Empty(bob.Problems);
    }
}
