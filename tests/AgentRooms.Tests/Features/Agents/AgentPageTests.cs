using System.Net;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Agents;

public sealed class AgentPageTestsOnSqlite(SqliteAppFactory app) : AgentPageTests(app), IClassFixture<SqliteAppFactory>;

public sealed class AgentPageTestsOnMariaDb(MariaDbAppFactory app) : AgentPageTests(app), IClassFixture<MariaDbAppFactory>;

public abstract class AgentPageTests(AppFactory app)
{
    [Fact]
    public async Task A_person_creates_edits_and_deletes_their_agent()
    {
        var (alice, email) = await app.SignedInPerson("Maker");

        var agentId = await app.CreateAgent(alice, "Ada Lovelace", "ada-l", model: "gpt-special", style: "Creative");
        var list = await alice.Get("/agents");
        Assert.Contains("Ada Lovelace", list.Document.QuerySelector("[aria-label='Your agents']")!.TextContent);
        var stored = await app.WithDb(db => db.Agents.Include(a => a.CreatedBy).SingleAsync(a => a.Id == agentId));
        Assert.Equal((email, AgentStyle.Creative, "gpt-special", "🦉"), (stored.CreatedBy!.Email, stored.Style, stored.Model, stored.Emoji));

        var saved = await alice.Submit($"/agents/{agentId}/edit", "Save agent", new Dictionary<string, string> { ["Input.Name"] = "Countess" });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("Countess", (await app.WithDb(db => db.Agents.SingleAsync(a => a.Id == agentId))).Name);

        var deleted = await alice.Submit($"/agents/{agentId}/edit", "Delete agent", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        Assert.NotNull((await app.WithDb(db => db.Agents.SingleAsync(a => a.Id == agentId))).DeletedAt);
        Assert.Null((await alice.Get("/agents")).Document.QuerySelector("[aria-label='Your agents']"));
    }

    [Fact]
    public async Task Open_rooms_see_an_agent_renamed_and_then_deleted_in_their_member_list()
    {
        var (owner, _) = await app.SignedInPerson("Keeper");
        var roomId = await owner.CreateRoom("Agent changes");
        var agentId = await app.CreateAgent(owner, "Hoot", "hoot");
        await owner.AddAgent(roomId, agentId);
        await using var socket = await LiveSocket.Open(app, owner, roomId);
        await socket.Resume(0);
        await socket.Collect(f => f.StartsWith("<section id=\"members\"") && f.Contains("Hoot"), 1);

        await owner.Submit($"/agents/{agentId}/edit", "Save agent", new Dictionary<string, string> { ["Input.Name"] = "Screech" });
        await socket.Collect(f => f.StartsWith("<section id=\"members\"") && f.Contains("Screech") && !f.Contains("Hoot"), 1);

        await owner.Submit($"/agents/{agentId}/edit", "Delete agent", new Dictionary<string, string>());
        var after = await socket.Collect(f => f.StartsWith("<section id=\"members\""), 1);
        Assert.DoesNotContain("Screech", after[0]);
        Assert.DoesNotContain("Agents", after[0]);
    }

    [Theory]
    [InlineData("Input.Name", "")]
    [InlineData("Input.Name", "{101}")]
    [InlineData("Input.Handle", "a")]
    [InlineData("Input.Handle", "{33}")]
    [InlineData("Input.Handle", "Ada")]
    [InlineData("Input.Handle", "ada_l")]
    [InlineData("Input.Handle", "ада")]
    [InlineData("Input.Prompt", "too short")]
    [InlineData("Input.Prompt", "{4001}")]
    [InlineData("Input.Style", "Sarcastic")]
    [InlineData("Input.Emoji", "{17}")]
    [InlineData("Input.Model", "gpt-4 <script>")]
    public async Task Every_agent_field_limit_is_explained_beside_the_field(string field, string value)
    {
        var (alice, _) = await app.SignedInPerson("Limits");
        value = value.StartsWith('{') ? new string('a', int.Parse(value[1..^1])) : value;
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = "Valid", ["Input.Handle"] = "valid-handle", ["Input.Emoji"] = "🤖",
            ["Input.Prompt"] = "You are a perfectly valid agent.", ["Input.Style"] = "Direct", ["Input.Model"] = "",
            [field] = value,
        };

        var rejected = await alice.Submit("/agents/new", "Create agent", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.NotEmpty(rejected.ErrorFor(field));
        Assert.False(await app.WithDb(db => db.Agents.AnyAsync(a => a.Handle == "valid-handle" && a.Name == fields["Input.Name"] && a.Prompt == fields["Input.Prompt"])));
    }

    [Fact]
    public async Task Someone_elses_agent_cannot_be_edited_deleted_or_added_to_a_room()
    {
        var (alice, _) = await app.SignedInPerson("Creator");
        var agentId = await app.CreateAgent(alice, "Private", "private-agent");
        var (mallory, _) = await app.SignedInPerson("Borrower");
        var roomId = await mallory.CreateRoom("Borrowed");
        var token = await mallory.AnyToken();

        var view = await mallory.Get($"/agents/{agentId}/edit");
        var edit = await mallory.Post($"/agents/{agentId}/edit", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Name"] = "Stolen", ["Input.Handle"] = "stolen",
            ["Input.Prompt"] = "You now work for me.", ["Input.Style"] = "Direct",
        });
        var delete = await mallory.Post($"/agents/{agentId}/edit?handler=Delete", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var add = await mallory.Post($"/rooms/{roomId}/agents?handler=Add", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["agentId"] = agentId.ToString(),
        });

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { view.Status, edit.Status, delete.Status, add.Status });
        var agent = await app.WithDb(db => db.Agents.SingleAsync(a => a.Id == agentId));
        Assert.Equal(("Private", null), (agent.Name, agent.DeletedAt));
        Assert.False(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId)));
    }

    [Fact]
    public async Task Two_agents_with_one_handle_cannot_share_a_room_and_the_page_says_why()
    {
        var (alice, _) = await app.SignedInPerson("Twins");
        var roomId = await alice.CreateRoom("Twin room", "Public");
        var first = await app.CreateAgent(alice, "First twin", "twin");
        var (bob, _) = await app.SignedInPerson("Other twin owner");
        await bob.Join(roomId);
        var second = await app.CreateAgent(bob, "Second twin", "twin");
        await alice.AddAgent(roomId, first);

        var refused = await bob.AddAgent(roomId, second);
        var room = await bob.Get($"/rooms/{roomId}");

        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.Contains("already has an agent called @twin", room.Text);
        Assert.Equal([first], await app.WithDb(db => db.RoomAgents.Where(ra => ra.RoomId == roomId).Select(ra => ra.AgentId).ToListAsync()));
        var members = room.Document.QuerySelector("[aria-label='Members']")!.TextContent;
        Assert.Contains("First twin", members);
        Assert.DoesNotContain("Second twin", members);
    }

    [Fact]
    public async Task A_room_holds_at_most_twenty_agents_and_says_so()
    {
        var (alice, _) = await app.SignedInPerson("Collector");
        var roomId = await alice.CreateRoom("Agent zoo");
        var prefix = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 20; i++)
            await alice.AddAgent(roomId, await app.CreateAgent(alice, $"Agent {i}", $"z{prefix}-{i}"));
        var oneTooMany = await app.CreateAgent(alice, "One too many", $"z{prefix}-extra");

        var refused = await alice.AddAgent(roomId, oneTooMany);
        var room = await alice.Get($"/rooms/{roomId}");

        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.Contains("A room holds at most 20 agents", room.Text);
        Assert.Equal(20, await app.WithDb(db => db.RoomAgents.CountAsync(ra => ra.RoomId == roomId)));
    }

    [Fact]
    public async Task Renaming_a_handle_into_a_clash_in_one_of_its_rooms_is_explained()
    {
        var (alice, _) = await app.SignedInPerson("Renamer");
        var roomId = await alice.CreateRoom("Clash");
        var keep = await app.CreateAgent(alice, "Keeper", "keeper");
        var rename = await app.CreateAgent(alice, "Renamed", "renamed");
        await alice.AddAgent(roomId, keep);
        await alice.AddAgent(roomId, rename);

        var rejected = await alice.Submit($"/agents/{rename}/edit", "Save agent", new Dictionary<string, string> { ["Input.Handle"] = "keeper" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
        Assert.Contains("@keeper", rejected.ErrorFor("Input.Handle"));
        Assert.Equal("renamed", (await app.WithDb(db => db.Agents.SingleAsync(a => a.Id == rename))).Handle);
    }

    [Fact]
    public async Task Only_the_agents_creator_or_the_rooms_admins_remove_it_from_a_room()
    {
        var (owner, _) = await app.SignedInPerson("RoomOwner");
        var roomId = await owner.CreateRoom("Agents in", "Public");
        var (creator, _) = await app.SignedInPerson("AgentCreator");
        var (other, _) = await app.SignedInPerson("OtherMember");
        await creator.Join(roomId);
        await other.Join(roomId);
        var agentId = await app.CreateAgent(creator, "Guest agent", "guest-agent");
        await creator.AddAgent(roomId, agentId);

        var byOther = await other.Post($"/rooms/{roomId}/agents?handler=Remove", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await other.AnyToken(), ["agentId"] = agentId.ToString(),
        });
        Assert.Equal(HttpStatusCode.Forbidden, byOther.Status);
        Assert.True(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId)));

        var byOwner = await owner.Submit($"/rooms/{roomId}", "Remove", new Dictionary<string, string> { ["agentId"] = agentId.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, byOwner.Status);
        Assert.False(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId)));
    }

    [Fact]
    public async Task The_job_dashboard_is_for_the_site_administrator_only()
    {
        var (ordinary, _) = await app.SignedInPerson("Ordinary");
        var adminEmail = await app.WithDb(db => db.Users.Where(u => u.IsSiteAdmin).Select(u => u.Email!).SingleAsync());
        using var admin = app.NewVisitor();
        await admin.SignIn(adminEmail);
        using var anonymous = app.NewVisitor();

        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.Get("/hangfire")).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await ordinary.Get("/hangfire")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.Get("/hangfire")).Status);
    }
}
