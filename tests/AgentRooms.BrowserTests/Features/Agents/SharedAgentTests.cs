using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Agents;

/// <summary>An agent shared by its owner, borrowed by someone else, and what its answers cost, seen on /usage.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SharedAgentTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_person_borrows_a_shared_agent_from_the_directory_and_sees_what_its_answer_cost()
    {
        await using var olga = await Person.Arrive(chromium, app, "Olga Lender");
        await using var bob = await Person.Arrive(chromium, app, "Bob Borrower");
        await olga.Register();
        await bob.Register();
        await olga.CreateAgent("Quill", "quill-shared", "quill-model");
        app.Model.Scripts["quill-model"] = ModelScript.Say("Ink ", "is ", "ready.") with { Usage = (300, 12) };
        await olga.Page.GotoAsync("/agents");
        await olga.Page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).First.ClickAsync();
        await olga.Page.GetByRole(AriaRole.Radio, new() { Name = "Everyone here" }).CheckAsync();
        await olga.Page.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();

        await bob.Page.GotoAsync("/agents/directory");
        await Expect(bob.Page.GetByRole(AriaRole.List, new() { Name = "Shared agents" })).ToContainTextAsync("Quill");
        await bob.CreateRoom("Bob's study", "Private");
        await bob.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Quill (@quill-shared)" });
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await bob.Say("@quill-shared are you there?");

        var answer = bob.Page.Locator("#messages article.message-agent").Last;
        await Expect(answer).ToContainTextAsync("Ink is ready.");
        await Expect(answer.Locator(".reply-usage")).ToHaveAttributeAsync("title", "300 tokens in, 12 out · quill-model");

        await bob.Page.GotoAsync("/usage");
        var byAgent = bob.Page.GetByRole(AriaRole.Table, new() { Name = "By agent" });
        await Expect(byAgent.GetByRole(AriaRole.Row, new() { Name = "🦉 Quill" })).ToContainTextAsync("312");
        Assert.Empty(bob.Problems);
    }
}
