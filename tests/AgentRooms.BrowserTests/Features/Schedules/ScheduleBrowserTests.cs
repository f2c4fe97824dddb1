using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Schedules;

/// <summary>A member schedules a morning digest from the room's details, runs it now, and the agent answers in the room.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScheduleBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_member_schedules_a_digest_and_runs_it_now()
    {
        app.Model.Scripts["digest-browser-model"] = ModelScript.Say("Yesterday we chose the blue logo.");
        await using var uma = await Person.Arrive(chromium, app, "Ursula Mornings");
        await uma.Register();
        await uma.CreateAgent("Digest", "digest", "digest-browser-model");
        var roomUrl = await uma.CreateRoom("Design decisions", "Private");
        await uma.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Digest (@digest)" });
        await uma.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();

        // The room's details list none yet, and lead to the form.
        await uma.Page.GetByText("Schedules", new() { Exact = true }).ClickAsync();
        var fold = uma.Page.Locator(".room-fold", new() { Has = uma.Page.GetByText("Schedules", new() { Exact = true }) });
        await Expect(fold).ToContainTextAsync("None yet.");
        await fold.GetByRole(AriaRole.Link, new() { Name = "New schedule" }).ClickAsync();
        await uma.Page.GetByLabel("What to ask").FillAsync("summarise yesterday's decisions");
        await uma.Page.GetByLabel("When (cron").FillAsync("every morning");
        await uma.Page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await uma.Page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        await Expect(uma.Page.Locator("#cron-error")).ToContainTextAsync("five fields");
        Assert.Empty(await AccessibilityTests.EveryView(uma.Page, "schedules-refused"));
        await uma.Page.GetByLabel("When (cron").FillAsync("0 9 * * 1-5");
        await uma.Page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
        var listed = uma.Page.GetByRole(AriaRole.List, new() { Name = "Schedules" });
        await Expect(listed).ToContainTextAsync("@digest summarise yesterday's decisions");
        await Expect(listed).ToContainTextAsync("in Europe/Berlin, by Ursula Mornings · next");
        Assert.Empty(await AccessibilityTests.EveryView(uma.Page, "schedules"));

        // Run now: the prompt is posted as hers, and the agent answers in the room.
        await listed.GetByRole(AriaRole.Button, new() { Name = "Run now: summarise yesterday's decisions" }).ClickAsync();
        await uma.Page.GotoAsync(roomUrl.ToString());
        var log = uma.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(log).ToContainTextAsync("(scheduled) @digest summarise yesterday's decisions");
        await Expect(log.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Yesterday we chose the blue logo.", new() { Timeout = 15_000 });
        Assert.All(uma.Problems, problem => Assert.Contains("422", problem));
    }
}
