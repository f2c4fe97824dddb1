namespace AgentRooms.Tests.Support;

public static class People
{
    public const string Password = "correct horse battery";

    public static string NewEmail(string name = "person") => $"{name}-{Guid.NewGuid():N}@example.test";

    public static Task<Visitor.Page> Register(this Visitor visitor, string email, string displayName, string password = Password) =>
        visitor.Submit("/Account/Register", "Create account", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = displayName,
            ["Input.Password"] = password,
        });

    public static Task<Visitor.Page> SignIn(this Visitor visitor, string email, string password = Password, string? returnUrl = null) =>
        visitor.Submit(returnUrl is null ? "/Account/Login" : $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            "Sign in", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    public static async Task<Visitor.Page> SignOut(this Visitor visitor)
    {
        var page = await visitor.Get("/rooms");
        return await page.Submit(visitor, "Sign out", new Dictionary<string, string>());
    }

    /// <summary>A new visitor with a fresh account, signed in.</summary>
    public static async Task<(Visitor Visitor, string Email)> SignedInPerson(this AppFactory app, string name)
    {
        var visitor = app.NewVisitor();
        var email = NewEmail(new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray()));
        var page = await visitor.Register(email, name);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, page.Status);
        return (visitor, email);
    }
}
