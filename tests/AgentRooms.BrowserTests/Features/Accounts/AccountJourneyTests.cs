using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Accounts;

[Collection(BrowserCollection.Name)]
public sealed class AccountJourneyTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_new_person_registers_signs_out_signs_in_and_renames_themself()
    {
        await using var ada = await Person.Arrive(chromium, app, "Ada");

        await ada.Register();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/rooms$"));
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = "Rooms", Level = 1 })).ToBeVisibleAsync();

        await ada.SignOut();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/Account/Login"));
        await ada.Page.GotoAsync("/rooms");
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl=%2Frooms"));

        await ada.Page.GetByLabel("Email").FillAsync(ada.Email);
        await ada.Page.GetByLabel("Password").FillAsync(Person.Password);
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/rooms$"));

        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "Ada" }).ClickAsync();
        await ada.Page.GetByLabel("Display name").FillAsync("Ada Lovelace");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(ada.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your display name is saved.");
        await Expect(ada.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Ada Lovelace");
        await ada.Page.GotoAsync("/rooms");
        await Expect(ada.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Ada Lovelace");
        Assert.Empty(ada.Problems);
    }

    [Fact]
    public async Task Two_people_use_the_site_at_once_each_in_their_own_session()
    {
        await using var grace = await Person.Arrive(chromium, app, "Grace");
        await using var alan = await Person.Arrive(chromium, app, "Alan");

        await Task.WhenAll(grace.Register(), alan.Register());

        await Expect(grace.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Grace");
        await Expect(alan.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Alan");
        await grace.SignOut();
        await alan.Page.ReloadAsync();
        await Expect(alan.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Alan");
    }

    [Fact]
    public async Task A_mistake_in_the_form_is_shown_beside_the_field()
    {
        await using var person = await Person.Arrive(chromium, app, "Mistaken");

        await person.Page.GotoAsync("/Account/Register");
        await person.Page.GetByLabel("Email").FillAsync("not-an-email");
        await person.Page.GetByLabel("Display name").FillAsync("Mistaken");
        await person.Page.GetByLabel("Password").FillAsync("short");
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Expect(person.Page.Locator("#email-error")).ToContainTextAsync("valid email");
        await Expect(person.Page.Locator("#password-error")).ToContainTextAsync("at least 8 characters");
        await Expect(person.Page.GetByLabel("Display name")).ToHaveValueAsync("Mistaken");
    }
}
