using Microsoft.Playwright;

namespace AgentRooms.BrowserTests.Infrastructure;

/// <summary>One person at their own browser (a separate context: own cookies, own tabs).</summary>
public sealed class Person : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private readonly IBrowserContext context;
    private readonly List<string> problems = [];

    private Person(IBrowserContext context, IPage page, string name, string email)
    {
        this.context = context;
        Page = page;
        Name = name;
        Email = email;
        // CSP violations and script errors surface here; a clean page has none.
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
    }

    public IPage Page { get; }
    public string Name { get; }
    public string Email { get; }
    public IReadOnlyList<string> Problems => problems;

    public static async Task<Person> Arrive(Chromium chromium, LiveApp app, string name)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return new Person(context, page, name, $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test");
    }

    public async Task Register()
    {
        await Page.GotoAsync("/Account/Register");
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Display name").FillAsync(Name);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    public async Task SignIn()
    {
        await Page.GotoAsync("/Account/Login");
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public Task SignOut() => Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
