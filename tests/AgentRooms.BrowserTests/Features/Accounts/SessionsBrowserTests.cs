using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Accounts;

/// <summary>The profile's sessions and password: where one is signed in, a new password that ends the other sessions, and signing out everywhere.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionsBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_person_sees_where_they_are_signed_in_changes_their_password_and_signs_out_everywhere()
    {
        await using var phone = await Person.Arrive(chromium, app, "Sofia Sessions");
        await phone.Register();
        await using var laptop = await phone.OnAnotherDevice(chromium, app, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        await laptop.SignIn();
        await Expect(laptop.Page).ToHaveURLAsync(new Regex("/rooms"));

        await phone.Page.GotoAsync("/Account/Profile");
        var sessions = phone.Page.Locator(".session-list li");
        await Expect(sessions).ToHaveCountAsync(2);
        await Expect(sessions.Filter(new() { HasText = "(this browser)" })).ToHaveCountAsync(1);
        await Expect(sessions.Filter(new() { HasText = "Firefox on Linux" })).ToHaveCountAsync(1);

        // The wrong current password is said next to its field, and nothing changes.
        await phone.Page.GetByLabel("Current password").FillAsync("not my password");
        await phone.Page.GetByLabel("New password", new() { Exact = true }).FillAsync("a much better secret");
        await phone.Page.GetByLabel("Confirm new password").FillAsync("a much better secret");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(phone.Page.Locator("#current-password-error")).ToHaveTextAsync("That is not your current password.");
        var found = await AccessibilityTests.EveryView(phone.Page, "profile-password-error", fullPage: true);

        await phone.Page.GetByLabel("Current password").FillAsync(Person.Password);
        await phone.Page.GetByLabel("New password", new() { Exact = true }).FillAsync("a much better secret");
        await phone.Page.GetByLabel("Confirm new password").FillAsync("a much better secret");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(phone.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed");
        await Expect(sessions).ToHaveCountAsync(1);
        found.AddRange(await AccessibilityTests.EveryView(phone.Page, "profile", fullPage: true));
        Assert.Empty(found);

        // The laptop was signed out by the new password.
        await laptop.Page.ReloadAsync();
        await Expect(laptop.Page).ToHaveURLAsync(new Regex("/Account/Login"));

        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await Expect(phone.Page).ToHaveURLAsync(new Regex("/Account/Login"));
        await phone.Page.GotoAsync("/rooms");
        await Expect(phone.Page).ToHaveURLAsync(new Regex("/Account/Login"));
        Assert.All(phone.Problems, problem => Assert.Contains("422", problem)); // only the refused wrong password
    }
}
