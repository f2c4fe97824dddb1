using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Mentions;

/// <summary>Replying with a quote, and mentions reaching a person's Mentions page, between two people live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RepliesAndMentionsTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_reply_quotes_its_original_and_a_mention_reaches_the_other_persons_mentions_live()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Quote");
        await using var bob = await Person.Arrive(chromium, app, "Bob Quote");
        await Task.WhenAll(ada.Register(), bob.Register());
        var roomUrl = await ada.CreateRoom("Quotes and mentions", "Public");
        await bob.Join(roomUrl);
        await ada.Page.ReloadAsync();
        await ada.Say("Lunch at noon?");
        var original = bob.Page.Locator("#messages article[data-seq]").Last;
        await Expect(original).ToContainTextAsync("Lunch at noon?");

        // Bob replies: the quote sits above his box until he sends, then above his message for both.
        await original.HoverAsync();
        await original.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        var quoting = bob.Page.Locator("#composer-quote");
        await Expect(quoting).ToHaveTextAsync(new Regex("Replying to Ada Quote: Lunch at noon\\?"));
        await Expect(bob.Composer).ToBeFocusedAsync();
        // Escape takes the quote back, even with words typed; Reply brings it again.
        await bob.Composer.FillAsync("Yes");
        await bob.Composer.PressAsync("Escape");
        await Expect(quoting).ToBeHiddenAsync();
        await Expect(bob.Composer).ToHaveValueAsync("Yes");
        await original.HoverAsync();
        await original.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await Expect(quoting).ToHaveTextAsync(new Regex("Replying to Ada Quote: Lunch at noon\\?"));
        await bob.Composer.FillAsync("Yes, see you there");
        await bob.Composer.PressAsync("Enter");
        await Expect(quoting).ToBeHiddenAsync();
        var reply = ada.Page.Locator("#messages article[data-seq]", new() { HasText = "Yes, see you there" });
        await Expect(reply.Locator("a.quote")).ToHaveTextAsync(new Regex("Ada Quote\\s+Lunch at noon\\?"));

        // The quote jumps to its original.
        for (var i = 0; i < 30; i++)
            await bob.Say($"filler {i}");
        await Expect(ada.Page.Locator("#messages article[data-seq]").Last).ToContainTextAsync("filler 29");
        await reply.Locator("a.quote").ClickAsync();
        var adasOriginal = ada.Page.Locator("#messages article[data-seq]", new() { HasText = "Lunch at noon?" }).First;
        await Expect(adasOriginal).ToBeFocusedAsync();
        await Expect(adasOriginal).ToBeInViewportAsync();

        // Ada elsewhere: Bob's mention (picked from the list) and his reply count on her Mentions link.
        await ada.Page.GotoAsync(app.BaseUrl + "/agents");
        var mentionsLink = ada.Page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Mentions") });
        await Expect(mentionsLink).ToHaveAccessibleNameAsync("Mentions");
        await bob.Composer.PressSequentiallyAsync("@ada");
        await bob.Page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("Ada Quote") }).ClickAsync();
        await bob.Composer.PressSequentiallyAsync("the slides are ready");
        await bob.Composer.PressAsync("Enter");
        await Expect(mentionsLink).ToHaveAccessibleNameAsync("Mentions, 1 unread");

        await mentionsLink.ClickAsync();
        var results = ada.Page.GetByRole(AriaRole.List, new() { Name = "Results" }).GetByRole(AriaRole.Listitem);
        await Expect(results).ToHaveCountAsync(2);
        // The page is live: another mention comes in while she reads it.
        await bob.Composer.FillAsync("@ada-quote and the room is booked");
        await bob.Composer.PressAsync("Enter");
        await Expect(results).ToHaveCountAsync(3);
        await Expect(results.First).ToContainTextAsync("and the room is booked");
        await Expect(results.Nth(1)).ToContainTextAsync("@ada-quote the slides are ready");
        await Expect(results.Nth(1)).ToContainTextAsync("New");
        results = results.Filter(new() { HasNotText = "the room is booked" });
        await Expect(results.First).ToContainTextAsync("@ada-quote the slides are ready");
        await Expect(results.First).ToContainTextAsync("New");
        await Expect(results.Last).ToContainTextAsync("Yes, see you there");
        await results.First.GetByRole(AriaRole.Link).First.ClickAsync();
        var target = ada.Page.Locator("#messages article:target");
        await Expect(target).ToContainTextAsync("the slides are ready");
        await Expect(target).ToHaveClassAsync(new Regex("mentions-me"));
        Assert.Empty(ada.Problems);
        Assert.Empty(bob.Problems);
    }
}
