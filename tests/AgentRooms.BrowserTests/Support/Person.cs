using AgentRooms.Tests.Shared;
using Microsoft.Playwright;

namespace AgentRooms.BrowserTests.Support;

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
        Watch(page);
    }

    /// <summary>CSP violations, script errors and failed requests surface in <see cref="Problems"/>; a clean page has none.</summary>
    private void Watch(IPage page)
    {
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.Response += (_, response) => { if (response.Status >= 400) problems.Add($"{response.Status} {response.Url}"); };
    }

    /// <summary>Another tab of this person's browser (the same cookies), open at <paramref name="url"/>.</summary>
    public async Task<IPage> OpenTab(string url)
    {
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync(url);
        return page;
    }

    public IPage Page { get; }
    public string Name { get; }
    public string Email { get; }
    public IReadOnlyList<string> Problems => problems;

    /// <summary>
    /// The room's composer field "Message"; with JavaScript on, only once the room page's scripts have
    /// run (<c>.room.scripted</c>), as Enter adds a line in the plain form and sends once they have.
    /// </summary>
    public ILocator Composer => (javaScript ? Page.Locator(".room.scripted") : Page.Locator("body"))
        .GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });

    private bool javaScript = true;

    public static async Task<Person> Arrive(Chromium chromium, LiveApp app, string name, bool javaScript = true)
    {
        var person = await Arrive(chromium, app.BaseUrl, name, javaScript);
        person.inbox = app.Smtp;
        return person;
    }

    /// <summary>Where the app's email goes (the app sends it: a new account is confirmed by its link); none for apps that send none.</summary>
    private FakeSmtpServer? inbox;

    public static async Task<Person> Arrive(Chromium chromium, string baseUrl, string name, bool javaScript = true)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return new Person(context, page, name, $"{name.ToLowerInvariant().Replace(' ', '-')}-{Guid.NewGuid():N}@example.test") { javaScript = javaScript };
    }

    /// <summary>The same person in another browser (a laptop beside the phone), not signed in yet.</summary>
    public async Task<Person> OnAnotherDevice(Chromium chromium, LiveApp app, string userAgent)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, UserAgent = userAgent });
        context.SetDefaultTimeout(10_000);
        return new Person(context, await context.NewPageAsync(), Name, Email) { inbox = inbox };
    }

    public async Task Register()
    {
        await Page.GotoAsync("/Account/Register");
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Display name").FillAsync(Name);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await ConfirmFromEmail();
    }

    /// <summary>Where the app sends email, a new account is made by the link it sends: opened as a person would, from their inbox.</summary>
    public async Task ConfirmFromEmail()
    {
        if (inbox is null)
            return;
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        var message = await inbox.To(Email, "Confirm");
        await Page.GotoAsync(System.Text.RegularExpressions.Regex.Match(message.TextBody ?? "", @"http\S+/Account/ConfirmEmail\?\S+").Value);
    }

    public async Task SignIn()
    {
        await Page.GotoAsync("/Account/Login");
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Creates a room through the form and returns its address.</summary>
    public async Task<Uri> CreateRoom(string name, string visibility)
    {
        await Page.GotoAsync("/rooms");
        await Page.GetByRole(AriaRole.Link, new() { Name = "New room" }).ClickAsync();
        await Page.GetByLabel("Name").FillAsync(name);
        await Page.GetByLabel("Description").FillAsync($"All about {name}");
        await Page.GetByLabel(visibility).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/rooms/\\d+$"));
        return new Uri(Page.Url);
    }

    /// <summary>Opens a public room and presses Join.</summary>
    public async Task Join(Uri roomUrl)
    {
        await Page.GotoAsync(roomUrl.ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
    }

    /// <summary>Writes a message in the open room's composer and sends it with Enter.</summary>
    public async Task Say(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>Creates an agent through the "New agent" form.</summary>
    public async Task CreateAgent(string name, string handle, string model)
    {
        await Page.GotoAsync("/agents");
        await Page.GetByRole(AriaRole.Link, new() { Name = "New agent" }).ClickAsync();
        await Page.GetByLabel("Name").FillAsync(name);
        await Page.GetByLabel("Handle").FillAsync(handle);
        await Page.GetByLabel("Emoji").FillAsync("🦉");
        await Page.GetByLabel("Prompt").FillAsync($"You are {name}, a member of a parliament of animals.");
        await Page.GetByLabel("Style").SelectOptionAsync("Friendly");
        await Page.GetByLabel("Model").FillAsync(model);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name} is ready");
    }

    /// <summary>The network goes away, as when a laptop sleeps: no new connection gets through, the open socket dies.</summary>
    public async Task GoOffline(LiveApp app)
    {
        await context.SetOfflineAsync(true);
        await app.DropConnectionsOf(Email);
    }

    public Task ComeBackOnline() => context.SetOfflineAsync(false);

    /// <summary>Lets the page write to and read the clipboard, as a person's browser does after they allow it.</summary>
    public Task AllowClipboard() => context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

    public Task SignOut() => Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
