using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Search;

/// <summary>Search from the shell, the results, and a result opening the room at its message: with and without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_person_finds_words_from_the_shell_and_a_result_opens_the_room_at_that_message_live()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Finder");
        await using var bob = await Person.Arrive(chromium, app, "Bob Finder");
        await ada.Register();
        await bob.Register();
        var roomUrl = await ada.CreateRoom("Search party", "Public");
        await bob.Join(roomUrl);
        await bob.Say("The **zebracorn** deployment starts at noon");
        for (var i = 0; i < 60; i++)
            await bob.Say($"chatter {i}");
        await Expect(ada.Page.Locator("#messages article[data-seq]").Last).ToContainTextAsync("chatter 59");

        var search = ada.Page.GetByLabel("Search", new() { Exact = true });
        await search.FillAsync("zebracorn");
        await search.PressAsync("Enter");
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/search\\?q=zebracorn"));
        var results = ada.Page.GetByRole(AriaRole.List, new() { Name = "Results" }).GetByRole(AriaRole.Listitem);
        await Expect(results).ToHaveCountAsync(1);
        await Expect(results.First.Locator("mark")).ToHaveTextAsync("zebracorn");
        await Expect(results.First).ToContainTextAsync("Bob Finder");
        await Expect(results.First).ToContainTextAsync("Search party");

        await results.First.GetByRole(AriaRole.Link).ClickAsync();
        var target = ada.Page.Locator("#messages article:target");
        await Expect(target).ToContainTextAsync("zebracorn deployment");
        await Expect(target).ToBeInViewportAsync();
        // The page goes on from there: what is said now arrives below, after the newer messages it fetched.
        await bob.Say("fresh news after the search");
        await Expect(ada.Page.Locator("#messages article[data-seq]").Last).ToContainTextAsync("fresh news after the search");
        await Expect(ada.Page.GetByText("chatter 59")).ToHaveCountAsync(1);
        Assert.Empty(ada.Problems);
    }

    [Fact]
    public async Task Searching_one_room_from_its_header_works_without_javascript()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Plain Search", javaScript: false);
        await ada.Register();
        var kitchen = await ada.CreateRoom("Plain kitchen", "Private");
        await ada.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true }).FillAsync("the kettle whistles in the kitchen");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await ada.CreateRoom("Plain garden", "Private");
        await ada.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true }).FillAsync("the kettle is in the garden too");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await ada.Page.GotoAsync(kitchen.ToString());
        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "Search this room" }).ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Search in Plain kitchen");
        await ada.Page.GetByLabel("Search for").FillAsync("kettle");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var results = ada.Page.GetByRole(AriaRole.List, new() { Name = "Results" }).GetByRole(AriaRole.Listitem);
        await Expect(results).ToHaveCountAsync(1);
        await Expect(results.First).ToContainTextAsync("whistles in the kitchen");

        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "Search all rooms" }).ClickAsync();
        await Expect(results).ToHaveCountAsync(2);
        await results.Last.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(ada.Page.Locator("#messages article:target")).ToContainTextAsync("whistles in the kitchen");
    }
}
