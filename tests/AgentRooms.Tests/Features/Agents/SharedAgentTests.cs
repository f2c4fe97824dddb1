using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Agents;

public sealed class SharedAgentTestsOnSqlite(SqliteAppFactory app) : SharedAgentTests(app), IClassFixture<SqliteAppFactory>;

public sealed class SharedAgentTestsOnMariaDb(MariaDbAppFactory app) : SharedAgentTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Agents shared with everyone: listed, added to others' rooms and chatted with, edited only by their owner, and taken back live.</summary>
public abstract class SharedAgentTests(AppFactory app)
{
    private static bool IsMembers(string fragment) => fragment.StartsWith("<section id=\"members\"");

    private static async Task<List<string>> Addable(Visitor visitor, int roomId) =>
        (await visitor.Get($"/rooms/{roomId}")).Document.QuerySelectorAll("#add-agent option").Select(o => o.TextContent.Trim()).ToList();

    /// <summary>The "Add agent" post, made by hand (the form offers only what may be added).</summary>
    private static async Task<HttpStatusCode> PostAdd(Visitor visitor, int roomId, int agentId) =>
        (await visitor.Post($"/rooms/{roomId}/agents?handler=Add", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await visitor.AnyToken(), ["agentId"] = agentId.ToString(),
        })).Status;

    [Fact]
    public async Task A_shared_agent_is_listed_joins_others_rooms_and_leaves_them_live_when_its_owner_takes_it_back()
    {
        var (olga, _) = await app.SignedInPerson("Olga Shares");
        var (bob, _) = await app.SignedInPerson("Bob Borrows");
        await app.CreateAgent(olga, "Private Pat", "private-pat");
        var sage = await app.CreateAgent(olga, "Sage", "sage");
        var olgasRoom = await olga.CreateRoom("Olga's room");
        await olga.AddAgent(olgasRoom, sage);
        var bobsRoom = await bob.CreateRoom("Bob's room");

        // Not shared yet: not listed, not addable, not Bob's to chat with or to add by a made-up post.
        Assert.DoesNotContain("Sage", (await bob.Get("/agents/directory")).Text);
        Assert.DoesNotContain("🦉 Sage (@sage)", await Addable(bob, bobsRoom));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Get($"/direct/agent/{sage}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await PostAdd(bob, bobsRoom, sage));

        var shared = await olga.Submit($"/agents/{sage}/edit", "Save agent", new Dictionary<string, string> { ["Input.Shared"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, shared.Status);
        var directory = await bob.Get("/agents/directory");
        var listed = directory.Document.QuerySelector("[aria-label='Shared agents']")!;
        Assert.Contains("Sage", listed.TextContent);
        Assert.Contains("by Olga Shares", listed.TextContent);
        Assert.DoesNotContain("Private Pat", listed.TextContent);
        Assert.Null(listed.QuerySelector($"a[href='/agents/{sage}/edit']")); // only its owner edits it
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Get($"/agents/{sage}/edit")).Status);

        Assert.Contains("🦉 Sage (@sage)", await Addable(bob, bobsRoom)); // others may share theirs too: the directory is site-wide
        Assert.Equal(HttpStatusCode.Redirect, (await bob.AddAgent(bobsRoom, sage)).Status);
        Assert.Equal(HttpStatusCode.OK, (await bob.Get($"/direct/agent/{sage}")).Status);
        await using var bobsPage = await LiveSocket.Open(app, bob, bobsRoom);
        await bobsPage.Resume(0);
        await bobsPage.Collect(f => IsMembers(f) && f.Contains("Sage"), 1);

        // Its owner renames it: Bob's room shows the new name.
        await olga.Submit($"/agents/{sage}/edit", "Save agent", new Dictionary<string, string> { ["Input.Name"] = "Sage the Second", ["Input.Shared"] = "true" });
        await bobsPage.Collect(f => IsMembers(f) && f.Contains("Sage the Second"), 1);

        // Then makes it hers alone: it leaves Bob's room at once, stays in hers, and Bob can no longer add it.
        await olga.Submit($"/agents/{sage}/edit", "Save agent", new Dictionary<string, string> { ["Input.Shared"] = "false" });
        await bobsPage.Collect(f => IsMembers(f) && !f.Contains("Sage"), 1);
        Assert.False(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == bobsRoom)));
        Assert.True(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == olgasRoom && ra.AgentId == sage)));
        Assert.Equal(HttpStatusCode.NotFound, await PostAdd(bob, bobsRoom, sage));
        Assert.DoesNotContain("Sage", (await bob.Get("/agents/directory")).Text);
    }

    [Fact]
    public async Task Whoever_brought_a_shared_agent_into_a_room_may_take_it_out()
    {
        var (olga, _) = await app.SignedInPerson("Olga Lends");
        var (bob, _) = await app.SignedInPerson("Bob Hosts");
        var (cleo, _) = await app.SignedInPerson("Cleo Brings");
        var sage = await app.CreateAgent(olga, "Lent", "lent");
        await olga.Submit($"/agents/{sage}/edit", "Save agent", new Dictionary<string, string> { ["Input.Shared"] = "true" });
        var roomId = await bob.CreateRoom("Hosted", "Public");
        await cleo.Join(roomId);
        Assert.Equal(HttpStatusCode.Redirect, (await cleo.AddAgent(roomId, sage)).Status);

        var cleosView = await cleo.Get($"/rooms/{roomId}");
        Assert.NotNull(cleosView.Document.QuerySelector("button[aria-label='Remove agent Lent']"));
        var removed = await cleosView.Submit(cleo, "Remove", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        Assert.False(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId)));
    }
}
