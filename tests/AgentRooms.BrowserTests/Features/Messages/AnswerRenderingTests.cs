using AgentRooms.BrowserTests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Messages;

/// <summary>Answers as models write them: a table, highlighted code with Copy, and a mention of the reader.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AnswerRenderingTests(LiveApp app, Chromium chromium)
{
    private const string Code = "var votes = new Dictionary<string, int> { [\"owl\"] = 3 }; // counted at the end of the very long meeting";

    [Fact]
    public async Task A_reply_with_a_table_and_code_renders_them_and_the_code_copies_whole()
    {
        app.Model.Scripts["scribe-model"] = ModelScript.Say(
            "Here are the votes:\n\n| Member of the parliament | Votes cast in the morning session | Votes cast in the afternoon |\n|---|--:|--:|\n| Owl | 3 | 4 |\n| Sloth | 1 | 0 |\n\n",
            $"```csharp\n{Code}\n```\n\nThanks, @scribe-reader.");
        await using var reader = await Person.Arrive(chromium, app, "Scribe Reader");
        await reader.Register();
        await reader.AllowClipboard();
        await reader.CreateAgent("Scribe", "scribe", "scribe-model");
        await reader.CreateRoom("Minutes", "Private");
        await reader.Page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🦉 Scribe (@scribe)" });
        await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();

        await reader.Say("@scribe count the votes");

        var answer = reader.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Filter(new() { HasText = "Here are the votes" });
        var table = answer.GetByRole(AriaRole.Table);
        await Expect(table.GetByRole(AriaRole.Columnheader)).ToHaveTextAsync(["Member of the parliament", "Votes cast in the morning session", "Votes cast in the afternoon"]);
        await Expect(table.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Owl");
        await Expect(answer.Locator(".code-lang")).ToHaveTextAsync("csharp");
        await Expect(answer.Locator("pre span.keyword").First).ToHaveTextAsync("var");
        await Expect(answer.Locator(".mention.mine")).ToHaveTextAsync("@scribe-reader");

        var copy = answer.GetByRole(AriaRole.Button, new() { Name = "Copy code" });
        await copy.ClickAsync();
        await Expect(answer.Locator(".code-copy")).ToHaveTextAsync("Copied code");
        Assert.Equal(Code, (await reader.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).TrimEnd('\n'));

        // On a phone the table and the code scroll inside the message; the page itself does not scroll sideways.
        var found = await AccessibilityTests.EveryView(reader.Page, "answer-rendering");
        Assert.True(found.Count == 0, string.Join("\n", found));
        await reader.Page.SetViewportSizeAsync(390, 844);
        Assert.True(await reader.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth > t.clientWidth"), "the table is wider than the phone, so it scrolls");
        Assert.Empty(reader.Problems);
    }
}
