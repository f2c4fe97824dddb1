using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Notifications;

/// <summary>
/// The notification settings as people meet them. (Delivery itself is tested against a push service on
/// loopback in the integration tests: this Chromium has no push service it can reach.)
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_person_chooses_what_a_room_sends_and_is_told_plainly_when_this_browser_cannot_subscribe()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada Notified");
        await ada.Register();
        await ada.CreateRoom("Quiet room", "Private");

        var level = ada.Page.GetByRole(AriaRole.Combobox, new() { Name = "Notifications" });
        await Expect(level).ToHaveValueAsync("Mentions");
        // The choice saves itself (Save is for pages without JavaScript), and a reload shows it kept.
        await Expect(ada.Page.Locator("#notify-level").GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeHiddenAsync();
        await level.SelectOptionAsync(new SelectOptionValue { Label = "Nothing" });
        await Expect(ada.Page.Locator("#notify-level").GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await ada.Page.ReloadAsync();
        await Expect(level).ToHaveValueAsync("Nothing");

        await ada.Page.GotoAsync("/Account/Profile");
        var status = ada.Page.Locator(".push-status");
        await Expect(status).ToHaveTextAsync("Notifications are off for this device.");
        // Permission granted, but this Chromium reaches no push service: the person is told, nothing breaks.
        await ada.Page.Context.GrantPermissionsAsync(["notifications"]);
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Enable notifications" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Not enabled");
        await Expect(ada.Page.GetByRole(AriaRole.Button, new() { Name = "Enable notifications" })).ToBeVisibleAsync();
    }
}
