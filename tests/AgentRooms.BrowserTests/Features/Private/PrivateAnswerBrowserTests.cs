using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Private;

[Collection(BrowserCollection.Name)]
public sealed class PrivateAnswerBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_member_asks_an_agent_privately_then_shares_the_answer_with_the_room()
    {
        app.Model.Scripts["whisper-browser-model"] = new ModelScript
        {
            Chunks = ["Between us: ", "the launch ", "moves to ", "Friday."], BetweenChunks = TimeSpan.FromMilliseconds(150),
        };
        await using var alice = await Person.Arrive(chromium, app, "Rosalind");
        await using var bob = await Person.Arrive(chromium, app, "Sebastian");
        await Task.WhenAll(alice.Register(), bob.Register());
        await alice.CreateAgent("Whisper", "whisper", "whisper-browser-model");
        var roomUrl = await alice.CreateRoom("Launch room", "Public");
        await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Whisper (@whisper)" });
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Sebastian");

        await alice.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Ask privately" }).CheckAsync();
        await alice.Composer.FillAsync("@whisper when is the launch, really?");
        await alice.Composer.PressAsync("Enter");

        // Alice sees the answer stream into a card of her own; the box is empty again.
        var card = alice.Page.Locator("#private-answers article");
        await Expect(card).ToContainTextAsync("Only you can see this");
        await Expect(card.Locator(".private-final")).ToHaveTextAsync("Between us: the launch moves to Friday.", new() { Timeout = 15_000 });
        await Expect(alice.Composer).ToHaveValueAsync("");
        Assert.Empty(await AccessibilityTests.EveryView(alice.Page, "private-answer", () => Task.CompletedTask));

        // Bob's page shows nothing of it, even after the next message arrives.
        await alice.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Ask privately" }).UncheckAsync();
        await alice.Say("Lunch?");
        var bobsLog = bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(bobsLog).ToContainTextAsync("Lunch?");
        await Expect(bob.Page.GetByText("really?")).ToHaveCountAsync(0);
        await Expect(bob.Page.GetByText("moves to Friday")).ToHaveCountAsync(0);

        // Shared: both see it as Whisper's message, under the question.
        await card.GetByRole(AriaRole.Button, new() { Name = "Share to room" }).ClickAsync();
        await Expect(card).ToContainTextAsync("Shared to the room.");
        foreach (var log in new[] { bobsLog, alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }) })
        {
            var shared = log.GetByRole(AriaRole.Article).Filter(new() { HasText = "moves to Friday" });
            await Expect(shared).ToContainTextAsync("Rosalind asked privately");
            await Expect(shared).ToContainTextAsync("Whisper");
        }
        await card.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }
}
