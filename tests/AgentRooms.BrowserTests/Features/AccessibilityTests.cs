using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features;

/// <summary>axe-core finds nothing on any page, signed in or out, in light and in dark, on a laptop and (the room with its drawers) on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Axe_finds_no_violations_on_any_page_in_either_colour_scheme()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Axe");
        await using var bob = await Person.Arrive(chromium, app, "Bob Axe");
        await using var guest = await Person.Arrive(chromium, app, "Guest Axe");
        // axe is really looking: a field with no label is found.
        await guest.Page.SetContentAsync("<html lang=\"en\"><title>Probe</title><main><input></main></html>");
        Assert.Contains(await Violations(guest.Page, "probe"), v => v.Contains("label"));

        await ada.Register();
        await bob.Register();
        await ada.CreateAgent("Owl", "owl-axe", "owl-model");
        var agentEdit = await ada.Page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).First.GetAttributeAsync("href");
        var roomUrl = await ada.CreateRoom("Axe room", "Public");
        await ada.Say("Hello **everyone**, a [link](https://example.org) and `code`");
        var message = ada.Page.Locator("article[data-seq]").First;
        await Expect(message).ToBeVisibleAsync();
        var messageUrl = await message.Locator(".message-link").GetAttributeAsync("href");
        // A reaction on the message, so its toggles are looked at too.
        await message.HoverAsync();
        await message.GetByRole(AriaRole.Button, new() { Name = "Add reaction" }).ClickAsync();
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "👍", Exact = true }).ClickAsync();
        await Expect(message.GetByRole(AriaRole.Button, new() { Name = "👍 1, you reacted" })).ToBeVisibleAsync();
        await ada.Page.GetByText("Invite people").ClickAsync();
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).ClickAsync();
        var invite = await ada.Page.GetByLabel("Invite link").InputValueAsync();

        var pages = new (Person Who, string Url)[]
        {
            (guest, "/Account/Login"), (guest, "/Account/Register"), (guest, invite), (guest, "/no-such-page"),
            (guest, "/Account/ForgotPassword"), (guest, "/Account/CheckEmail?email=guest%40example.test"), (guest, "/Account/ResetPassword"),
            (ada, "/rooms"), (ada, "/rooms/new"), (ada, roomUrl.ToString()), (ada, roomUrl + "/settings"), (ada, messageUrl!),
            (ada, roomUrl + "/notes"), (ada, roomUrl + "/schedules"), (ada, roomUrl + "/invitations/new"),
            (ada, "/search"), (ada, "/search?q=everyone"), (ada, "/search?q=nothing-like-it"), (ada, "/search?q=in:nowhere"),
            (ada, "/agents"), (ada, "/agents/new"), (ada, agentEdit!), (ada, "/Account/Profile"),
            (bob, roomUrl.ToString()), (bob, invite),
        };
        var found = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var (who, url) in pages)
            {
                await who.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await who.Page.GotoAsync(url);
                found.AddRange(await Violations(who.Page, $"{url} ({scheme})"));
            }
            // The room on a phone, with each drawer open in turn.
            await ada.Page.SetViewportSizeAsync(390, 844);
            foreach (var drawer in new[] { "Rooms", "Room details" })
            {
                await ada.Page.GotoAsync(roomUrl.ToString());
                await ada.Page.GetByRole(AriaRole.Button, new() { Name = drawer, Exact = true }).ClickAsync();
                await Expect(ada.Page.GetByRole(AriaRole.Button, new() { Name = drawer, Exact = true })).ToHaveAttributeAsync("aria-expanded", "true");
                found.AddRange(await Violations(ada.Page, $"phone room, {drawer} open ({scheme})"));
            }
            await ada.Page.SetViewportSizeAsync(1280, 720);
        }

        Assert.Empty(found);
    }

    /// <summary>axe-core itself, as the Deque package ships it.</summary>
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(Deque.AxeCore.Commons.AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")!;
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>
    /// A page as each reader may meet it: in light and dark, on a laptop and a phone. After each change
    /// <paramref name="show"/> (a reload, a click; none for a page that cannot be reloaded) puts it in
    /// front of them; axe looks at each view, and with <c>AGENTROOMS_SHOTS</c> set (a folder) each view is
    /// kept as <c>{name}-{device}-{scheme}.png</c> for a person to look at.
    /// </summary>
    internal static async Task<List<string>> EveryView(IPage page, string name, Func<Task>? show = null, bool fullPage = false)
    {
        var found = new List<string>();
        var shots = Environment.GetEnvironmentVariable("AGENTROOMS_SHOTS");
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            foreach (var (width, height, device) in new[] { (1280, 720, "laptop"), (390, 844, "phone") })
            {
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.SetViewportSizeAsync(width, height);
                if (show is not null)
                    await show();
                found.AddRange(await Violations(page, $"{name}, {device} ({scheme})"));
                if (shots is not null)
                    await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"{name}-{device}-{scheme}.png"), FullPage = fullPage });
            }
        return found;
    }

    internal static async Task<IEnumerable<string>> Violations(IPage page, string where)
    {
        // Transitions finish first: axe reads colours as they are shown.
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        // Evaluated, not added as a script: the page's CSP allows no inline script, and needs not be loosened for tests.
        await page.EvaluateAsync(AxeSource.Value);
        var found = await page.EvaluateAsync<string[]>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => v.id + ' at ' + v.nodes.map(n => n.target.join(' ')).join(' | '))");
        return found.Select(v => $"{where}: {v}");
    }
}
