using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>Open room pages in Chromium while the server is killed (SIGKILL) mid-reply and started again.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ServerCrashTests(Chromium chromium) : IAsyncLifetime
{
    private const int Words = 40;
    private static readonly string FullReply = string.Join(" ", Enumerable.Range(1, Words).Select(i => $"w{i}"));

    private readonly string folder = Directory.CreateTempSubdirectory("agentrooms-crash-").FullName;
    private readonly FakeModelServer model = new();
    private readonly int port = AppProcess.FreePort();
    private AppProcess? server;

    public async Task InitializeAsync()
    {
        await model.InitializeAsync();
        model.Scripts["teller-model"] = new ModelScript
        {
            Chunks = Enumerable.Range(1, Words).Select(i => i == 1 ? "w1" : $" w{i}").ToArray(), BetweenChunks = TimeSpan.FromMilliseconds(100),
        };
        server = await Start();
    }

    public async Task DisposeAsync()
    {
        server?.Dispose();
        await model.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private Task<AppProcess> Start() => AppProcess.Start(port, "Sqlite", $"Data Source={Path.Combine(folder, "agentrooms.db")}",
        Path.Combine(folder, "hangfire.db"), new Dictionary<string, string>
        {
            ["AI__Endpoint"] = model.Endpoint,
            ["AI__Model"] = "crash-default",
            ["Agents__StreamInterval"] = "00:00:00.100",
            ["Agents__OrphanAfter"] = "00:00:02",
            ["Agents__SweepInterval"] = "00:00:01",
        });

    [Fact]
    public async Task Pages_open_through_a_hard_kill_mid_reply_keep_what_was_typed_and_catch_up_with_the_reply_once()
    {
        await using var alice = await Person.Arrive(chromium, server!.BaseUrl, "Alice");
        await using var bob = await Person.Arrive(chromium, server.BaseUrl, "Bob");
        await Task.WhenAll(alice.Register(), bob.Register());
        await alice.CreateAgent("Teller", "teller", "teller-model");
        var roomUrl = await alice.CreateRoom("Through a crash", "Public");
        await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Teller (@teller)" });
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await bob.Join(roomUrl);
        await Expect(alice.Page.GetByLabel("Members").Locator("li.here", new() { HasText = "Bob" })).ToBeVisibleAsync();

        await alice.Say("@teller tell us a long story");
        var streaming = bob.Page.Locator("#replies .streaming-text");
        await Expect(streaming).ToContainTextAsync("w3");
        var cutShort = await streaming.ElementHandleAsync();
        server.KillHard();

        // While it is down: the pages say so, Bob types on, Alice sends (her message waits).
        foreach (var person in new[] { alice, bob })
            await Expect(person.Page.Locator("#connection")).ToHaveTextAsync("Reconnecting…");
        await bob.Composer.FillAsync("Half a thought");
        await alice.Say("Sent while it was down");
        await Expect(alice.Page.Locator("#pending article")).ToContainTextAsync("Sent while it was down");

        // How the outage looks (the page as it is: there is nothing to reload from), in light and dark, on a
        // laptop and a phone: it passes axe.
        var found = await AccessibilityTests.EveryView(alice.Page, "server-down");
        Assert.True(found.Count == 0, string.Join("\n", found));

        server = await Start();

        // The reply that was cut short is answered again from the start: the pages drop the old text for a
        // fresh placeholder while it streams, show it growing from its first word past where it was cut,
        // then the whole message, once.
        await bob.Page.WaitForFunctionAsync("old => !old.isConnected && document.querySelector('#replies .streaming-text') !== null", cutShort,
            new() { Timeout = 30_000 });
        await Expect(streaming).ToHaveTextAsync(new Regex("^w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12"), new() { Timeout = 30_000 });
        foreach (var person in new[] { alice, bob })
        {
            var log = person.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
            await Expect(log.GetByRole(AriaRole.Article).Filter(new() { HasText = FullReply })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Expect(log.GetByRole(AriaRole.Article).Filter(new() { HasText = "w1 w2" })).ToHaveCountAsync(1);
            await Expect(log.GetByRole(AriaRole.Article).Filter(new() { HasText = "Sent while it was down" })).ToHaveCountAsync(1);
            await Expect(person.Page.Locator("#replies article")).ToHaveCountAsync(0);
            await Expect(person.Page.Locator("#pending article")).ToHaveCountAsync(0);
            await Expect(person.Page.Locator("#connection")).ToBeHiddenAsync();
        }
        await Expect(bob.Composer).ToHaveValueAsync("Half a thought");

        // What the live pages show is what a fresh page shows.
        var live = await bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).AllInnerTextsAsync();
        await bob.Page.ReloadAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article)).ToHaveCountAsync(live.Count);
        await Expect(bob.Composer).ToHaveValueAsync("Half a thought");
        foreach (var person in new[] { alice, bob })
            Assert.DoesNotContain(person.Problems, problem => !IsTheOutage(problem));
    }

    /// <summary>
    /// What a browser logs while the server is gone: refused connections, and htmx's reports of the
    /// socket's error events and of requests that could not be sent (the rooms list refreshing, say).
    /// </summary>
    private static bool IsTheOutage(string problem) =>
        problem.Contains("ERR_CONNECTION_REFUSED") || problem.StartsWith("WebSocket connection to") || problem == "[object Event]"
        || problem.StartsWith("htmx:sendError,") || problem.StartsWith("htmx:afterRequest,");
}
