using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Rooms;

/// <summary>The shell around every page: the "Rooms" navigation with live unread counts, the tab's title, the drawers.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellTests(LiveApp app, Chromium chromium)
{
    private static ILocator Rooms(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" });

    [Fact]
    public async Task Unread_counts_rise_for_a_room_not_being_read_and_clear_in_every_tab_once_it_is_read()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Shell");
        await using var bob = await Person.Arrive(chromium, app, "Bob Shell");
        await ada.Register();
        await bob.Register();
        var lobby = await ada.CreateRoom("Lobby", "Public");
        var kitchen = await ada.CreateRoom("Kitchen", "Public");
        await bob.Join(lobby);
        await bob.Join(kitchen);

        // Bob reads the lobby in one tab and his agents in another; Ada writes in the kitchen.
        await bob.Page.GotoAsync(lobby.ToString());
        await Expect(bob.Page.Locator(".room[data-live=true]")).ToBeVisibleAsync();
        var agents = await bob.OpenTab("/agents");
        await Expect(Rooms(bob.Page).GetByRole(AriaRole.Link, new() { Name = "Lobby", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Rooms(bob.Page).GetByRole(AriaRole.Link, new() { Name = "Kitchen", Exact = true })).ToBeVisibleAsync();
        await ada.Page.GotoAsync(kitchen.ToString());
        await ada.Say("Tea is ready");
        await ada.Say("@bob-shell, milk?");

        foreach (var page in new[] { bob.Page, agents })
            await Expect(Rooms(page).GetByRole(AriaRole.Link, new() { Name = "Kitchen, 2 unread, mentions you" })).ToBeVisibleAsync();
        await Expect(bob.Page).ToHaveTitleAsync("(2) Lobby · AgentRooms");
        await Expect(agents).ToHaveTitleAsync("(2) Agents · AgentRooms");

        // Reading the kitchen in the first tab clears it there and in the other tab.
        await Rooms(bob.Page).GetByRole(AriaRole.Link, new() { Name = "Kitchen, 2 unread, mentions you" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "Kitchen", Level = 1 })).ToBeVisibleAsync();
        await Expect(Rooms(bob.Page).GetByRole(AriaRole.Link, new() { Name = "Kitchen", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Rooms(agents).GetByRole(AriaRole.Link, new() { Name = "Kitchen", Exact = true })).ToBeVisibleAsync();
        await Expect(agents).ToHaveTitleAsync("Agents · AgentRooms");

        // While Bob reads the kitchen, what arrives there is read too: the other tab counts nothing.
        await Expect(bob.Page.Locator(".room[data-live=true]")).ToBeVisibleAsync();
        await ada.Say("Biscuits too");
        await Expect(bob.Page.Locator("article[data-seq]").Filter(new() { HasText = "Biscuits too" })).ToBeVisibleAsync();
        await ada.Page.GotoAsync(lobby.ToString());
        await ada.Say("Back in the lobby");
        await Expect(Rooms(agents).GetByRole(AriaRole.Link, new() { Name = "Lobby, 1 unread" })).ToBeVisibleAsync();
        await Expect(Rooms(agents).GetByRole(AriaRole.Link, new() { Name = "Kitchen", Exact = true })).ToBeVisibleAsync();

        // A rename reaches the open pages: the list, the heading and the tab's title.
        await ada.Page.GotoAsync(kitchen + "/settings");
        await ada.Page.GetByRole(AriaRole.Region, new() { Name = "About the room" }).GetByLabel("Name").FillAsync("Scullery");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "Scullery", Level = 1 })).ToBeVisibleAsync();
        await Expect(bob.Page).ToHaveTitleAsync(new Regex(@"^(\(\d+\) )?Scullery · AgentRooms$"));
        await Expect(Rooms(agents).GetByRole(AriaRole.Link, new() { Name = "Scullery", Exact = true })).ToBeVisibleAsync();
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task On_a_phone_the_rooms_open_in_a_drawer_from_the_header_by_keyboard()
    {
        await using var pat = await Person.Arrive(chromium, app, "Pat Drawer");
        await pat.Page.SetViewportSizeAsync(390, 844);
        await pat.Register();
        var first = await pat.CreateRoom("First pocket", "Private");
        await pat.CreateRoom("Second pocket", "Private");
        await pat.Page.GotoAsync(first.ToString());

        var toggle = pat.Page.GetByRole(AriaRole.Button, new() { Name = "Rooms" });
        var second = Rooms(pat.Page).GetByRole(AriaRole.Link, new() { Name = "Second pocket" });
        await Expect(second).Not.ToBeInViewportAsync();
        await toggle.FocusAsync();
        await pat.Page.Keyboard.PressAsync("Enter");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(second).ToBeInViewportAsync();
        await Expect(Rooms(pat.Page).GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();
        await pat.Page.Keyboard.PressAsync("Escape");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(toggle).ToBeFocusedAsync();
        await Expect(second).Not.ToBeInViewportAsync();

        await pat.Page.Keyboard.PressAsync("Enter");
        await second.ClickAsync();
        await Expect(pat.Page.GetByRole(AriaRole.Heading, new() { Name = "Second pocket", Level = 1 })).ToBeVisibleAsync();
        await Expect(pat.Composer).ToBeInViewportAsync(new() { Ratio = 1 });

        // The narrowest phones (320 px) scroll no page sideways either.
        await pat.Page.SetViewportSizeAsync(320, 640);
        foreach (var path in new[] { pat.Page.Url, "/rooms", "/agents/new", "/Account/Profile" })
        {
            await pat.Page.GotoAsync(path);
            Assert.Equal(320, await pat.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        }
        Assert.Empty(pat.Problems);
    }

    [Fact]
    public async Task At_200_percent_zoom_a_laptop_shows_the_conversation_with_the_composer_and_both_drawers()
    {
        await using var zed = await Person.Arrive(chromium, app, "Zed Zoom");
        await zed.Page.SetViewportSizeAsync(640, 400); // 1280×800 at 200 %
        await zed.Register();
        var roomUrl = await zed.CreateRoom("Zoomed room", "Private");
        await app.Post(zed.Email, roomUrl, 12, "Large print");
        await zed.Page.GotoAsync(roomUrl.ToString());

        await Expect(zed.Page.Locator("article[data-seq]").Filter(new() { HasText = "Large print 12" })).ToBeInViewportAsync();
        await Expect(zed.Composer).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal(640, await zed.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        foreach (var (button, inside) in new[] { ("Rooms", "Zoomed room"), ("Room details", "Members") })
        {
            await zed.Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
            var shown = button == "Rooms"
                ? Rooms(zed.Page).GetByRole(AriaRole.Link, new() { Name = inside })
                : zed.Page.GetByLabel(inside);
            await Expect(shown).ToBeInViewportAsync();
            await zed.Page.Keyboard.PressAsync("Escape");
            await Expect(shown).Not.ToBeInViewportAsync();
        }
        Assert.Empty(zed.Problems);
    }

    [Fact]
    public async Task The_app_is_installable_and_offline_shows_a_page_of_its_own_while_no_page_is_ever_cached()
    {
        await using var ivy = await Person.Arrive(chromium, app, "Ivy Install");
        await ivy.Register();
        var roomUrl = await ivy.CreateRoom("Kept off the disk", "Private");
        await ivy.Say("words that stay on the server");

        var manifestUrl = await ivy.Page.Locator("link[rel=manifest]").GetAttributeAsync("href");
        var manifest = System.Text.Json.JsonDocument.Parse(await (await ivy.Page.APIRequest.GetAsync(manifestUrl!)).TextAsync()).RootElement;
        Assert.Equal("standalone", manifest.GetProperty("display").GetString());
        Assert.Equal("/rooms", manifest.GetProperty("start_url").GetString());
        var icons = manifest.GetProperty("icons").EnumerateArray().ToList();
        foreach (var size in new[] { "192x192", "512x512" })
        {
            var icon = icons.First(i => i.GetProperty("sizes").GetString() == size && i.GetProperty("type").GetString() == "image/png");
            var fetched = await ivy.Page.APIRequest.GetAsync(icon.GetProperty("src").GetString()!);
            Assert.Equal(200, fetched.Status);
            Assert.Equal("image/png", fetched.Headers["content-type"]);
        }
        await Expect(ivy.Page.Locator("meta[name=theme-color]").First).ToHaveAttributeAsync("content", new Regex("^#"));

        // The worker takes over, the network goes, and a page that cannot be reached says so.
        await ivy.Page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        await ivy.Page.GotoAsync(roomUrl.ToString());
        await ivy.GoOffline(app);
        await ivy.Page.GotoAsync("/agents");
        await Expect(ivy.Page.GetByRole(AriaRole.Heading, new() { Name = "You're offline" })).ToBeVisibleAsync();
        var cached = await ivy.Page.EvaluateAsync<string[]>(
            "async () => (await Promise.all((await caches.keys()).map(async name => (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname)))).flat()");
        Assert.Contains("/offline.html", cached);
        Assert.Contains(cached, path => path.StartsWith("/js/"));
        Assert.All(cached, path => Assert.Matches(@"^/(css|js|lib|icons)/|^/favicon\.svg$|^/offline\.html$", path));

        await ivy.ComeBackOnline();
        await ivy.Page.GetByRole(AriaRole.Link, new() { Name = "Try again" }).ClickAsync();
        await Expect(ivy.Page.GetByRole(AriaRole.Heading, new() { Name = "Rooms", Level = 1 })).ToBeVisibleAsync();
    }
}
