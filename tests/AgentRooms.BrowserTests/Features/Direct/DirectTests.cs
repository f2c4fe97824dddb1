using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Direct;

/// <summary>Direct conversations between two people, live, and a private chat with an agent that answers without a mention.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DirectTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task Message_on_a_person_opens_a_conversation_the_other_sees_listed_with_its_count_live()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Whisper");
        await using var bob = await Person.Arrive(chromium, app, "Bob Whisper");
        await Task.WhenAll(ada.Register(), bob.Register());
        var roomUrl = await ada.CreateRoom("Where we met", "Public");
        await bob.Join(roomUrl);
        await bob.Say("Hi Ada, glad to be here");
        await ada.Say("Welcome, Bob");
        // Beside a message, "Message" is for its author: Bob's shows it on hover, Ada's own has none.
        var bobs = ada.Page.Locator("#messages article[data-seq]", new() { HasText = "glad to be here" });
        await bobs.HoverAsync();
        await Expect(bobs.GetByRole(AriaRole.Link, new() { Name = "Message Bob Whisper" })).ToBeVisibleAsync();
        await Expect(ada.Page.Locator("#messages article.mine a[data-message-author]")).ToBeHiddenAsync();
        await bob.Page.GotoAsync(app.BaseUrl + "/rooms");

        // One click beside his message: the conversation opens (without JavaScript, a page offers to start it).
        await bobs.HoverAsync();
        await bobs.GetByRole(AriaRole.Link, new() { Name = "Message Bob Whisper" }).ClickAsync();
        await Expect(ada.Page.Locator("#room-header .badge")).ToHaveTextAsync("Direct");
        await ada.Say("Just between us: the launch moved to Friday");

        var direct = bob.Page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" }).GetByRole(AriaRole.List, new() { Name = "Direct messages" });
        var link = direct.GetByRole(AriaRole.Link, new() { Name = "Ada Whisper, 1 unread" });
        await Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("the launch moved to Friday");
        await bob.Say("Thanks for the heads-up");
        await Expect(ada.Page.Locator("#messages article[data-seq]").Last).ToContainTextAsync("Thanks for the heads-up");
        // From the member list too, in one click, to the same conversation.
        await ada.Page.GotoAsync(roomUrl.ToString());
        await ada.Page.GetByLabel("Members").GetByRole(AriaRole.Link, new() { Name = "Message Bob Whisper" }).ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("Thanks for the heads-up");
        Assert.Empty(ada.Problems);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task Chat_with_an_agent_gets_an_answer_to_every_message_without_a_mention()
    {
        app.Model.Scripts["whisper-model"] = ModelScript.Say("Happy ", "to help, ", "privately.");
        await using var ada = await Person.Arrive(chromium, app, "Ada Agent Chat");
        await ada.Register();
        await ada.CreateAgent("Hoot", "hoot-dm", "whisper-model");
        await ada.Page.GotoAsync(app.BaseUrl + "/agents");
        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "Chat with Hoot" }).ClickAsync();
        await Expect(ada.Page.Locator("#room-header .badge")).ToHaveTextAsync("Direct");

        await ada.Say("Can you keep a secret?");
        var answer = ada.Page.Locator("#messages article.message-agent").Last;
        await Expect(answer).ToContainTextAsync("Happy to help, privately.", new() { Timeout = 15_000 });
        await ada.Say("And another thing");
        await Expect(ada.Page.Locator("#messages article.message-agent")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        Assert.Empty(ada.Problems);
    }
}
