using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Agents;

[Collection(BrowserCollection.Name)]
public sealed class AgentJourneyTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Two_people_watch_an_agent_answer_stop_it_and_see_a_failure()
    {
        app.Model.Scripts["owl-model"] = new ModelScript
        {
            Chunks = ["Good ", "question. ", "I think ", "**yes**."],
            BetweenChunks = TimeSpan.FromMilliseconds(400),
        };
        app.Model.Scripts["slow-model"] = new ModelScript
        {
            Chunks = Enumerable.Range(1, 200).Select(i => $"word{i} ").ToArray(),
            BetweenChunks = TimeSpan.FromMilliseconds(100),
        };
        app.Model.Scripts["broken-model"] = ModelScript.Fail(500);

        await using var alice = await Person.Arrive(chromium, app, "Alma");
        await using var bob = await Person.Arrive(chromium, app, "Boris");
        await Task.WhenAll(alice.Register(), bob.Register());
        await alice.CreateAgent("Owl", "owl", "owl-model");
        await alice.CreateAgent("Sloth", "sloth", "slow-model");
        await alice.CreateAgent("Gremlin", "gremlin", "broken-model");
        var roomUrl = await alice.CreateRoom("Parliament", "Public");
        foreach (var agent in new[] { "Owl", "Sloth", "Gremlin" })
        {
            await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"🦉 {agent} (@{agent.ToLowerInvariant()})" });
            await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        }
        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Boris");

        // Typing @ suggests the room's agents (and people); a click picks one.
        await alice.Composer.PressSequentiallyAsync("@o");
        await alice.Page.GetByRole(AriaRole.Listbox, new() { Name = "Mention someone" }).GetByRole(AriaRole.Option, new() { Name = "Owl" }).ClickAsync();
        await Expect(alice.Composer).ToHaveValueAsync("@owl ");
        await alice.Composer.PressSequentiallyAsync("what do you think?");
        await alice.Composer.PressAsync("Enter");

        foreach (var person in new[] { alice, bob })
            await Expect(person.Page.Locator("#replies")).ToContainTextAsync("Owl is answering…");
        await Expect(bob.Page.Locator("#replies")).ToContainTextAsync("Good question.");
        var answer = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last;
        await Expect(answer).ToContainTextAsync("Good question. I think yes.", new() { Timeout = 15_000 });
        await Expect(answer.Locator("strong")).ToHaveTextAsync("yes");
        await Expect(answer).ToContainTextAsync("Owl");
        await Expect(alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last)
            .ToContainTextAsync("Good question. I think yes.");
        await Expect(bob.Page.Locator("#replies article")).ToHaveCountAsync(0);

        // Bob asks the slow one and stops it.
        await bob.Composer.FillAsync("@sloth tell me a long story");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(alice.Page.Locator("#replies")).ToContainTextAsync("word3");
        await bob.Page.Locator("#replies").GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        var stopped = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last;
        await Expect(stopped).ToContainTextAsync("stopped");
        await Expect(stopped).ToContainTextAsync(new Regex("word1 word2 word3"));
        await Expect(stopped).Not.ToContainTextAsync("word200");

        // Stop is for whoever asked and the room's owners and admins: Bob does not see it on Alice's question.
        await alice.Composer.FillAsync("@sloth and one for me");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(bob.Page.Locator("#replies")).ToContainTextAsync("word2");
        await Expect(bob.Page.Locator("#replies form.stop-form")).ToHaveAttributeAsync("hidden", "");
        await Expect(bob.Page.Locator("#replies").GetByRole(AriaRole.Button, new() { Name = "Stop" })).ToHaveCountAsync(0);
        await alice.Page.Locator("#replies").GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article)
            .Filter(new() { HasText = "stopped" })).ToHaveCountAsync(2);

        // A failing model shows a failed reply.
        await alice.Composer.FillAsync("@gremlin are you there?");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var failed = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last;
        await Expect(failed).ToContainTextAsync("couldn't answer");
        await Expect(failed).ToContainTextAsync("failed");

        // Retry is for whoever asked (and the room's owners and admins); the new answer takes the failed one's place.
        await Expect(failed.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);
        var failedForAlice = alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article[data-seq]").Last;
        var id = await failedForAlice.GetAttributeAsync("id");
        app.Model.Scripts["broken-model"] = ModelScript.Say("Fixed ", "now.");
        await failedForAlice.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        var again = bob.Page.Locator($"#{id}");
        await Expect(again).ToContainTextAsync("Fixed now.", new() { Timeout = 15_000 });
        await Expect(again).Not.ToContainTextAsync("failed");
        var regenerate = alice.Page.Locator($"#{id}").GetByRole(AriaRole.Button, new() { Name = "Regenerate" });
        await Expect(regenerate).ToBeAttachedAsync();

        // Regenerate keeps the answer it replaces: "2 / 2", steps back to "1 / 2" in place, and nothing says "edited".
        app.Model.Scripts["broken-model"] = ModelScript.Say("A second ", "take.");
        await alice.Page.Locator($"#{id}").HoverAsync();
        await regenerate.ClickAsync();
        await Expect(again).ToContainTextAsync("A second take.", new() { Timeout = 15_000 });
        await Expect(again.Locator(".answer-number")).ToHaveTextAsync(new Regex(@"2\s*of\s*/\s*2"));
        await Expect(again).Not.ToContainTextAsync("(edited)");
        await again.GetByRole(AriaRole.Link, new() { Name = "Earlier answer" }).ClickAsync();
        await Expect(again).ToContainTextAsync("Fixed now.");
        await Expect(again.Locator(".answer-number")).ToHaveTextAsync(new Regex(@"1\s*of\s*/\s*2"));
        await Expect(again.GetByRole(AriaRole.Link, new() { Name = "Later answer" })).ToBeFocusedAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(again).ToContainTextAsync("A second take.");
        // What it used opens under the answer.
        await again.GetByText("What this used").ClickAsync();
        await Expect(again.Locator(".reply-used li").First).ToContainTextAsync("messages of the room");
        Assert.Empty(await AccessibilityTests.EveryView(bob.Page, "answers"));
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }
}
