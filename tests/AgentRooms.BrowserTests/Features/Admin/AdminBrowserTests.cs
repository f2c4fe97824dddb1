using System.Text.RegularExpressions;
using AgentRooms.BrowserTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRooms.BrowserTests.Features.Admin;

[Collection(BrowserCollection.Name)]
public sealed class AdminBrowserTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task An_administrator_finds_a_person_deactivates_them_and_reads_the_audit_log()
    {
        await using var admin = await Person.Arrive(chromium, app, "Winifred Admin");
        await using var bob = await Person.Arrive(chromium, app, "Barnaby Gone");
        await Task.WhenAll(admin.Register(), bob.Register());
        await app.WithDb(db => db.Users.Where(u => u.Email == admin.Email).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, true)));
        await bob.Page.GotoAsync("/rooms");

        await admin.Page.GotoAsync("/admin");
        await admin.Page.GetByLabel("Find people").FillAsync("Barnaby");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        var people = admin.Page.GetByRole(AriaRole.List, new() { Name = "People" });
        await Expect(people.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await people.GetByRole(AriaRole.Button, new() { Name = "Deactivate: Barnaby Gone" }).ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Deactivated");
        await Expect(people).ToContainTextAsync("deactivated");

        // Bob's next step lands on the sign-in page, and signing in says why it does not work.
        await bob.Page.ReloadAsync();
        await Expect(bob.Page).ToHaveURLAsync(new Regex("/Account/Login"));
        await bob.Page.GetByLabel("Email").FillAsync(bob.Email);
        await bob.Page.GetByLabel("Password").FillAsync(Person.Password);
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("deactivated by the site's administrator");

        await admin.Page.GotoAsync("/admin/audit");
        await Expect(admin.Page.GetByRole(AriaRole.Table)).ToContainTextAsync("deactivated");

        var found = new List<string>();
        foreach (var path in new[] { "/admin?q=Barnaby", "/admin/settings", "/admin/audit" })
            found.AddRange(await AccessibilityTests.EveryView(admin.Page, $"admin{path.Replace('/', '-').Replace('?', '-')}",
                () => admin.Page.GotoAsync(path), fullPage: true));
        Assert.Empty(found);
        Assert.Empty(admin.Problems);
        Assert.All(bob.Problems, problem => Assert.Contains("422", problem)); // only the refused sign-in, which answers 422
    }
}
