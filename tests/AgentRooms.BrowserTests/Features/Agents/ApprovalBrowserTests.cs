using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Agents;

[Collection(BrowserCollection.Name)]
public sealed class ApprovalBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task The_person_who_asked_allows_a_risky_tool_while_the_others_see_it_wait()
    {
        app.Model.Scripts["ticket-browser-model"] = ModelScript.Call(ModelScript.Say("Ticket filed: the coffee machine is on the list."),
            ("file_ticket", """{"title":"Coffee machine leaks"}"""));

        await using var alice = await Person.Arrive(chromium, app, "Philippa");
        await using var bob = await Person.Arrive(chromium, app, "Quentin");
        await Task.WhenAll(alice.Register(), bob.Register());
        await alice.CreateAgent("Filer", "filer", "ticket-browser-model");
        await alice.Page.GetByRole(AriaRole.Link, new() { Name = "Edit Filer" }).ClickAsync();
        await alice.Page.GetByRole(AriaRole.Checkbox, new() { Name = "team/file_ticket" }).CheckAsync();
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Filer is saved");

        var roomUrl = await alice.CreateRoom("Office chores", "Public");
        await alice.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Filer (@filer)" });
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await bob.Page.GotoAsync(roomUrl.ToString());
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(alice.Page.GetByLabel("Members")).ToContainTextAsync("Quentin");

        await alice.Say("@filer please file a ticket about the coffee machine");

        // The call waits: Alice, who asked, is offered the decision; Bob sees that it waits.
        var alicesReply = alice.Page.Locator("#replies");
        await Expect(alicesReply.GetByRole(AriaRole.List, new() { Name = "Tools used" })).ToContainTextAsync("Asks to use team/file_ticket");
        await Expect(alicesReply.GetByRole(AriaRole.Button, new() { Name = "Allow once" })).ToBeVisibleAsync();
        await Expect(alicesReply.GetByText("Coffee machine leaks")).ToBeVisibleAsync();
        var bobsReply = bob.Page.Locator("#replies");
        await Expect(bobsReply.GetByText("Waiting for approval")).ToBeVisibleAsync();
        await Expect(bobsReply.GetByRole(AriaRole.Button, new() { Name = "Allow once" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(app.Tools.Calls, c => c.Argument == "Coffee machine leaks");

        Assert.Empty(await AccessibilityTests.EveryView(alice.Page, "approval", () => Task.CompletedTask));

        var approvalUrl = await alicesReply.Locator(".approval-form").GetAttributeAsync("action");
        await alicesReply.GetByRole(AriaRole.Button, new() { Name = "Allow once" }).ClickAsync();
        foreach (var person in new[] { alice, bob })
        {
            var answer = person.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Last;
            await Expect(answer).ToContainTextAsync("Ticket filed: the coffee machine is on the list.", new() { Timeout = 15_000 });
            await Expect(answer.GetByRole(AriaRole.List, new() { Name = "Tools used" })).ToContainTextAsync("Used team/file_ticket");
        }
        Assert.Single(app.Tools.Calls, c => c.Argument == "Coffee machine leaks");

        // The call's own page (where the buttons lead without JavaScript) says how it was decided.
        await alice.Page.GotoAsync(approvalUrl!);
        await Expect(alice.Page.GetByRole(AriaRole.Main)).ToContainTextAsync("Allowed.");
        Assert.Empty(await AccessibilityTests.EveryView(alice.Page, "approval-page", () => Task.CompletedTask));
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }
}
