using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Reactions;

/// <summary>Reactions between people, live: from the palette, as toggles, and without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReactionTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Three_people_react_and_take_back_and_each_sees_the_counts_and_their_own_live()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Cheers");
        await using var bob = await Person.Arrive(chromium, app, "Bob Cheers");
        await using var cleo = await Person.Arrive(chromium, app, "Cleo Plain", javaScript: false);
        await ada.Register();
        await bob.Register();
        await cleo.Register();
        var roomUrl = await ada.CreateRoom("Cheering", "Public");
        await bob.Join(roomUrl);
        await cleo.Join(roomUrl);
        await ada.Page.ReloadAsync(); // everyone is in
        await ada.Say("We shipped it!");
        ILocator Message(Person who) => who.Page.Locator("#messages article[data-seq]").Last;
        await Expect(Message(bob)).ToContainTextAsync("We shipped it!");

        // Bob opens the palette by keyboard and picks 🎉; Esc had closed it once before, focus back on the button.
        await Message(bob).HoverAsync();
        var add = Message(bob).GetByRole(AriaRole.Button, new() { Name = "Add reaction" });
        await add.ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Form, new() { Name = "Add reaction" })).ToBeVisibleAsync();
        await bob.Page.Keyboard.PressAsync("Escape");
        await Expect(bob.Page.GetByRole(AriaRole.Form, new() { Name = "Add reaction" })).ToBeHiddenAsync();
        await Expect(add).ToBeFocusedAsync();
        await add.ClickAsync();
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "🎉", Exact = true }).ClickAsync();

        await Expect(Message(bob).GetByRole(AriaRole.Button, new() { Name = "🎉 1, you reacted" })).ToHaveAttributeAsync("aria-pressed", "true");
        var adasToggle = Message(ada).GetByRole(AriaRole.Button, new() { Name = "🎉 1", Exact = true });
        await Expect(adasToggle).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(adasToggle).ToHaveAttributeAsync("title", "Bob Cheers");

        // Ada joins in with the toggle; Cleo, without JavaScript, with the form.
        await adasToggle.ClickAsync();
        await Expect(Message(bob).GetByRole(AriaRole.Button, new() { Name = "🎉 2, you reacted" })).ToBeVisibleAsync();
        await cleo.Page.ReloadAsync();
        await Message(cleo).GetByRole(AriaRole.Button, new() { Name = "🎉 2", Exact = true }).ClickAsync();
        await Expect(Message(cleo).GetByRole(AriaRole.Button, new() { Name = "🎉 3, you reacted" })).ToBeVisibleAsync();
        await Expect(Message(ada).GetByRole(AriaRole.Button, new() { Name = "🎉 3, you reacted" })).ToHaveAttributeAsync("title", "Bob Cheers, Ada Cheers, Cleo Plain");

        // A typed reaction, then Bob takes his 🎉 back.
        await Message(bob).HoverAsync();
        await add.ClickAsync();
        await bob.Page.GetByLabel("Reaction", new() { Exact = true }).FillAsync("so proud");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(Message(ada).GetByRole(AriaRole.Button, new() { Name = "so proud 1", Exact = true })).ToBeVisibleAsync();
        await Message(bob).GetByRole(AriaRole.Button, new() { Name = "🎉 3, you reacted" }).ClickAsync();
        await Expect(Message(ada).GetByRole(AriaRole.Button, new() { Name = "🎉 2, you reacted" })).ToHaveAttributeAsync("title", "Ada Cheers, Cleo Plain");
        await Expect(Message(bob).GetByRole(AriaRole.Button, new() { Name = "🎉 2", Exact = true })).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Empty(ada.Problems);
        Assert.Empty(bob.Problems);
    }
}
