using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Accounts;

[Collection(BrowserCollection.Name)]
public sealed partial class PasswordResetBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_person_who_forgot_their_password_follows_the_emailed_link_and_signs_in_with_a_new_one()
    {
        await using var person = await Person.Arrive(chromium, app, "Florence Forgets");
        await person.Register();
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(person.Page).ToHaveURLAsync(new Regex("/Account/Login"));

        await person.Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await person.Page.GetByLabel("Email").FillAsync(person.Email);
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await Expect(person.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("a link to choose a new password is on its way");

        var email = await app.Smtp.To(person.Email, "Reset");
        var link = ResetLink().Match(email.TextBody ?? "").Value;
        await person.Page.GotoAsync(link);
        await person.Page.GetByLabel("New password").FillAsync("a fresh start here");
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(person.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed");

        await person.Page.GetByLabel("Email").FillAsync(person.Email);
        await person.Page.GetByLabel("Password").FillAsync("a fresh start here");
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(person.Page).ToHaveURLAsync(new Regex("/rooms"));

        // The link was for once.
        await person.Page.GotoAsync(link);
        await person.Page.GetByLabel("New password").FillAsync("one more time please");
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(person.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link no longer works");
        Assert.All(person.Problems, problem => Assert.Contains("400", problem)); // only the refused second use
    }

    [GeneratedRegex(@"http\S+/Account/ResetPassword\?\S+")]
    private static partial Regex ResetLink();
}
