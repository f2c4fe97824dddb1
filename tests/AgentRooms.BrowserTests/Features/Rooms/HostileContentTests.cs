using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Rooms;

[Collection(BrowserCollection.Name)]
public sealed class HostileContentTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_room_full_of_hostile_markdown_runs_no_script_and_calls_no_other_site()
    {
        await using var mallory = await Person.Arrive(chromium, app, "Mallory");
        await using var reader = await Person.Arrive(chromium, app, "Reader");
        await Task.WhenAll(mallory.Register(), reader.Register());
        var roomUrl = await mallory.CreateRoom("Minefield", "Public");
        await reader.Page.GotoAsync(roomUrl.ToString());
        await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        var foreignRequests = new List<string>();
        reader.Page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(app.BaseUrl, StringComparison.Ordinal))
                foreignRequests.Add(request.Url);
        };

        foreach (var markdown in HostileMarkdown.Corpus)
        {
            await mallory.Composer.FillAsync(markdown);
            await mallory.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(mallory.Composer).ToHaveValueAsync("");
        }

        // Live, then freshly loaded: the same.
        var live = reader.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article);
        await Expect(live).ToHaveCountAsync(HostileMarkdown.Corpus.Length);
        await AssertInert(reader.Page);
        await reader.Page.ReloadAsync();
        await Expect(live).ToHaveCountAsync(HostileMarkdown.Corpus.Length);
        await AssertInert(reader.Page);
        foreach (var link in await live.Locator("a[href^='#']:not(.message-link)").AllAsync())
            await link.ClickAsync();
        await AssertInert(reader.Page);

        // Ordinary markdown in the same room still renders.
        var ordinary = live.Last;
        await Expect(ordinary.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(ordinary.Locator("li")).ToHaveCountAsync(2);
        await Expect(ordinary.Locator("pre code")).ToContainTextAsync("block <b>code</b>");
        Assert.Empty(foreignRequests);
        Assert.Empty(reader.Problems);
    }

    private static async Task AssertInert(IPage page)
    {
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Equal(0, await page.Locator("#messages script, #messages img, #messages iframe, #messages svg, #messages form").CountAsync());
        Assert.Equal(0, await page.Locator("#messages [hx-get], #messages [hx-post], #messages [onclick], #messages [onerror]").CountAsync());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }
}
