using System.Net;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using AgentRooms.Web.Pages.Accounts;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>An app of its own with small limits: floods meet a 429 that keeps what was typed.</summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    private readonly SqliteAppFactory app = new();

    public RequestLimitTests()
    {
        foreach (var limit in TestSettings.RequestLimits)
            app.Settings[$"Limits:{limit}"] = "3";
        app.Settings["Limits:SignInsPerMinute"] = "7";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Registrations_from_one_client_past_the_limit_are_refused_with_the_form_kept()
    {
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await app.NewVisitor().Register(People.NewEmail("flood"), $"Flood {i}")).Status);

        var refused = await app.NewVisitor().Register(People.NewEmail("flood"), "One too many");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("Wait a little", refused.FormErrors);
        Assert.Equal("One too many", refused.Document.QuerySelector("input[name='Input.DisplayName']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Posts_rooms_agents_and_invite_links_past_the_limit_are_refused_and_nothing_typed_is_lost()
    {
        var (person, _) = await Person("Busy");
        var roomId = await person.CreateRoom("Room 1");
        await person.CreateRoom("Room 2");
        await person.CreateRoom("Room 3");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await person.Send(roomId, $"message {i}")).Status);
        for (var i = 0; i < 3; i++)
            await app.CreateAgent(person, $"Agent {i}", $"limited-{i}");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await NewInviteLink(person, roomId)).Status);

        var post = await person.Send(roomId, "the fourth, kept");
        var room = await person.Submit("/rooms/new", "Create room", new Dictionary<string, string> { ["Input.Name"] = "Room 4" });
        var agent = await person.Submit("/agents/new", "Create agent", new Dictionary<string, string>
        {
            ["Input.Name"] = "Agent 4", ["Input.Handle"] = "limited-4", ["Input.Prompt"] = "You help with limits.", ["Input.Style"] = "Direct",
        });
        var invite = await NewInviteLink(person, roomId);

        Assert.Equal(HttpStatusCode.TooManyRequests, post.Status);
        Assert.Equal("the fourth, kept", post.Document.QuerySelector("textarea[name='Composer.Content']")!.TextContent);
        Assert.Contains("Wait a little", post.ErrorFor("Composer.Content"));
        Assert.Equal(HttpStatusCode.TooManyRequests, room.Status);
        Assert.Equal("Room 4", room.Document.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.TooManyRequests, agent.Status);
        Assert.Equal("Agent 4", agent.Document.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.TooManyRequests, invite.Status);
        Assert.Contains("Wait a little", invite.ErrorFor("Invite.Expires"));
        Assert.Equal(3, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId)));
        Assert.Equal(3, await app.WithDb(db => db.Invitations.CountAsync(i => i.RoomId == roomId)));
    }

    [Fact]
    public async Task Searches_and_reactions_past_the_limit_are_refused_with_a_clear_word_and_the_query_kept()
    {
        var (person, _) = await Person("Curious");
        var roomId = await person.CreateRoom("Room of limits");
        await person.Send(roomId, "react to me");
        var messageId = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == "react to me").Select(m => m.Id).SingleAsync());
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await person.Get($"/search?q=word{i}")).Status);
        var token = await person.AnyToken();
        Dictionary<string, string> Reaction(string text) => new() { ["__RequestVerificationToken"] = token, ["text"] = text };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await person.Post($"/rooms/{roomId}/messages/{messageId}/reactions", Reaction($"r{i}"))).Status);

        var search = await person.Get("/search?q=one+too+many");
        var reaction = await person.PostAsHtmx($"/rooms/{roomId}/messages/{messageId}/reactions", Reaction("r4"));

        Assert.Equal(HttpStatusCode.TooManyRequests, search.Status);
        Assert.Contains("Wait a little", search.Document.Body!.TextContent);
        Assert.Equal("one too many", search.Document.QuerySelector("#search-query")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.TooManyRequests, reaction.Status);
        Assert.Contains("Wait a little", await reaction.Response.Content.ReadAsStringAsync());
        Assert.Equal(3, await app.WithDb(db => db.Reactions.CountAsync(r => r.MessageId == messageId)));
    }

    [Fact]
    public async Task Wrong_passwords_pause_sign_in_from_that_client_only_and_cannot_lock_the_owner_out()
    {
        var email = People.NewEmail("target");
        using (var owner = At("127.0.0.2"))
            Assert.Equal(HttpStatusCode.Redirect, (await owner.Register(email, "Target")).Status);
        using var attacker = At("127.0.0.3");
        for (var i = 0; i < 5; i++)
            Assert.Equal(LoginModel.FailedMessage, (await attacker.SignIn(email, "guessing wrong")).FormErrors);

        var pausedEvenWithThePassword = await attacker.SignIn(email);
        using var ownerAgain = At("127.0.0.2");
        var owners = await ownerAgain.SignIn(email);
        await attacker.SignIn(email, "guessing wrong");
        var tooMany = await attacker.SignIn(email, "guessing wrong");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, LoginModel.FailedMessage), (pausedEvenWithThePassword.Status, pausedEvenWithThePassword.FormErrors));
        Assert.Equal(HttpStatusCode.Redirect, owners.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.Status);
        Assert.Contains("Wait a little", tooMany.FormErrors);
    }

    private async Task<(Visitor, string)> Person(string name)
    {
        var visitor = At($"127.0.1.{Random.Shared.Next(1, 250)}");
        var email = People.NewEmail(name.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Register(email, name)).Status);
        return (visitor, email);
    }

    private static Task<Visitor.Page> NewInviteLink(Visitor person, int roomId) =>
        person.Submit($"/rooms/{roomId}/invitations/new", "Create invite link", new Dictionary<string, string>());

    /// <summary>A browser whose requests come from <paramref name="address"/> (a loopback address; no traffic leaves the process).</summary>
    private Visitor At(string address)
    {
        var cookies = new System.Net.CookieContainer();
        var handler = new CookieContainerHandler(cookies)
        {
            InnerHandler = app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)),
        };
        return new Visitor(new HttpClient(handler) { BaseAddress = new Uri("http://localhost") }, cookies);
    }
}
