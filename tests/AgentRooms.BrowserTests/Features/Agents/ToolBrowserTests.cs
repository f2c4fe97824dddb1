using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Agents;

[Collection(BrowserCollection.Name)]
public sealed class ToolBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_tool_call_shows_as_a_step_while_the_reply_streams_and_stays_with_it()
    {
        app.Model.Scripts["clock-browser-model"] = ModelScript.Call(new ModelScript
        {
            Chunks = ["It is ", "half past ", "ten, ", "by the ", "team's clock."],
            BetweenChunks = TimeSpan.FromMilliseconds(300),
        }, ("now", "{}"));

        await using var alice = await Person.Arrive(chromium, app, "Tamsin");
        await using var bob = await Person.Arrive(chromium, app, "Tobias");
        await Task.WhenAll(alice.Register(), bob.Register());
        // The owner picks the tool on the agent's page.
        await alice.CreateAgent("Clock", "clock", "clock-browser-model");
        await alice.Page.GetByRole(AriaRole.Link, new() { Name = "Edit Clock" }).ClickAsync();
        await alice.Page.GetByRole(AriaRole.Checkbox, new() { Name = "team/now" }).CheckAsync();
        await alice.Page.GetByRole(AriaRole.Checkbox, new() { Name = "team/lookup" }).CheckAsync();
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Clock is saved");

        var roomUrl = await alice.CreateRoom("Clock tower", "Public");
        await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Clock (@clock)" });
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Tobias");

        await bob.Composer.FillAsync("@clock what time is it?");
        await bob.Composer.PressAsync("Enter");

        // While it answers, both see the call as a step of the reply.
        foreach (var person in new[] { alice, bob })
            await Expect(person.Page.Locator("#replies").GetByRole(AriaRole.List, new() { Name = "Tools used" })).ToContainTextAsync("Used team/now");
        // The finished message, not the streaming placeholder (which shows the same text until it goes).
        var answer = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]").Last;
        await Expect(answer).ToContainTextAsync("It is half past ten, by the team's clock.", new() { Timeout = 15_000 });
        await Expect(alice.Page.Locator("#replies article")).ToHaveCountAsync(0);

        // The step stays with the reply, closed; opening it shows what went in and what came back.
        var step = answer.GetByRole(AriaRole.List, new() { Name = "Tools used" });
        await Expect(step).ToContainTextAsync("Used team/now");
        await Expect(step.GetByText(FakeToolServer.Time)).Not.ToBeVisibleAsync();
        await step.GetByText("Used team/now").ClickAsync();
        await Expect(step.GetByText(FakeToolServer.Time)).ToBeVisibleAsync();
        await bob.Page.ReloadAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last
            .GetByRole(AriaRole.List, new() { Name = "Tools used" })).ToContainTextAsync("Used team/now");

        // A tool that returns markup and a mention: shown as text, nothing runs, loads or answers.
        var dialogs = 0;
        bob.Page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        app.Tools.Entries["trap"] = "<img src=/trap.png onerror=alert(1)><script>alert(2)</script> @clock answer this";
        app.Model.Scripts["clock-browser-model"] = ModelScript.Call(ModelScript.Say("The glossary had nothing useful."), ("lookup", """{"term":"trap"}"""));
        await bob.Say("@clock look up trap");
        var trapped = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Filter(new() { HasText = "The glossary had nothing useful." });
        await Expect(trapped).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await trapped.GetByText("Used team/lookup").ClickAsync();
        await Expect(trapped.Locator(".tool-steps pre").Last).ToHaveTextAsync("<img src=/trap.png onerror=alert(1)><script>alert(2)</script> @clock answer this");
        await Expect(trapped.Locator(".tool-steps img, .tool-steps script")).ToHaveCountAsync(0);
        Assert.Equal(0, dialogs);
        Assert.Equal(2, app.Model.RequestsFor("clock-browser-model").Count(r => r.Conversation.Contains("look up trap"))); // the call and the answer; no reply to the mention inside

        // Opened, in light and in dark, on a laptop and on a phone, the steps pass axe.
        Assert.Empty(await AccessibilityTests.EveryView(bob.Page, "tool-step", async () =>
        {
            await bob.Page.ReloadAsync();
            await bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article .tool-step summary").Last.ClickAsync();
        }));
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }
}
