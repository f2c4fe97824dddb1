using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Knowledge;

/// <summary>An agent finds what was decided long ago, cites it, and the citation opens the room at that message.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CitationBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_cited_answer_links_to_the_message_it_found_far_back_in_the_room()
    {
        await using var cleo = await Person.Arrive(chromium, app, "Cleo Cites");
        await cleo.Register();
        await cleo.CreateAgent("Archivist", "archivist", "archivist-model");
        var roomUrl = await cleo.CreateRoom("Archive", "Private");
        await app.Post(cleo.Email, roomUrl, 1, "Decided: the codename is BLUEHERON, number");
        await app.Post(cleo.Email, roomUrl, 201, "Small talk"); // more than an agent's context reads (Agents:ContextMessages)
        var roomId = int.Parse(roomUrl.Segments[^1]);
        var planted = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content.StartsWith("Decided")).Select(m => m.Id).SingleAsync());
        app.Model.Scripts["archivist-model"] = ModelScript.Call(ModelScript.Say($"It is BLUEHERON [#{planted}]."), ("search_room", """{"query":"codename"}"""));

        await cleo.Page.ReloadAsync();
        await cleo.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Archivist (@archivist)" });
        await cleo.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        await cleo.Say("@archivist what was the codename?");

        var answer = cleo.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator("article.message-agent").Last;
        await Expect(answer).ToContainTextAsync("It is BLUEHERON", new() { Timeout = 20_000 });
        await Expect(answer.Locator(".tool-steps")).ToContainTextAsync("room/search_room");
        await answer.GetByText("What this used").ClickAsync();
        await Expect(answer.Locator(".reply-used")).ToContainTextAsync("1 tool call");
        Assert.Empty(await AccessibilityTests.EveryView(cleo.Page, "citation"));

        await cleo.Page.SetViewportSizeAsync(1280, 720);
        // The citation opens the message's page (in this tab: it is the same site), and from there the room at it.
        await answer.GetByRole(AriaRole.Link, new() { Name = "[1]" }).ClickAsync();
        await Expect(cleo.Page).ToHaveURLAsync(new Regex($"/rooms/{roomId}/messages/{planted}$"));
        await Expect(cleo.Page.Locator("article")).ToContainTextAsync("the codename is BLUEHERON");
        await cleo.Page.GetByRole(AriaRole.Link, new() { Name = "← Back to the room" }).ClickAsync();
        await Expect(cleo.Page).ToHaveURLAsync(new Regex($"at={planted}#message-{planted}$"));
        var target = cleo.Page.Locator("#messages article:target");
        await Expect(target).ToContainTextAsync("the codename is BLUEHERON");
        await Expect(target).ToBeInViewportAsync();
        Assert.Empty(cleo.Problems);
    }
}
