using System.Text;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Webhooks;

/// <summary>An owner creates a webhook in the room's settings; a post to it arrives live on a member's page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebhookBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task An_owner_creates_a_webhook_and_a_post_to_it_arrives_live()
    {
        await using var owner = await Person.Arrive(chromium, app, "Wanda Webhooks");
        await using var member = await Person.Arrive(chromium, app, "Walter Watches");
        await Task.WhenAll(owner.Register(), member.Register());
        var roomUrl = await owner.CreateRoom("Builds", "Public");
        await member.Page.GotoAsync(roomUrl.ToString());
        await member.Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();

        await owner.Page.GotoAsync(roomUrl + "/settings");
        await owner.Page.GetByRole(AriaRole.Region, new() { Name = "Webhooks" }).GetByLabel("Name").FillAsync("CI");
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        var url = await owner.Page.GetByLabel("Webhook URL").InputValueAsync();
        Assert.Matches("/hooks/[0-9a-f]{64}$", url);
        Assert.Empty(await AccessibilityTests.EveryView(owner.Page, "webhook-created"));

        using var ci = new HttpClient();
        var posted = await ci.PostAsync(app.BaseUrl + new Uri(url).AbsolutePath,
            new StringContent("""{"text": "Build **#42** passed."}""", Encoding.UTF8, "application/json"));
        Assert.Equal("ok", await posted.Content.ReadAsStringAsync());

        var arrived = member.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByRole(AriaRole.Article).Filter(new() { HasText = "Build #42 passed." });
        await Expect(arrived).ToContainTextAsync("CI");
        await Expect(arrived).ToContainTextAsync("integration");
        Assert.Empty(owner.Problems);
        Assert.Empty(member.Problems);
    }
}
