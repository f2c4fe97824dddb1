using System.Net;
using AgentRooms.Data.Agents;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Approvals;

public sealed class ApprovalTestsOnSqlite(SqliteAppFactory app, FakeModelServer model, FakeToolServer tools)
    : ApprovalTests(app, model, tools), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>, IClassFixture<FakeToolServer>;

public sealed class ApprovalTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model, FakeToolServer tools)
    : ApprovalTests(app, model, tools), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>, IClassFixture<FakeToolServer>;

/// <summary>
/// A tool that changes something waits for the person who asked: "Allow once" runs it, "Deny" does not,
/// nobody else may decide, and what happened stays with the reply. The administrator chooses which tools ask.
/// </summary>
public abstract class ApprovalTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;
    private readonly FakeToolServer tools;

    protected ApprovalTests(AppFactory app, FakeModelServer model, FakeToolServer tools)
    {
        (this.app, this.model, this.tools) = (app, model, tools);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "approvals-default";
        app.Settings["AI:Models"] = "*";
        app.Settings["AI:ToolServers:0:Name"] = "team";
        app.Settings["AI:ToolServers:0:Url"] = tools.Url;
        app.Settings["Agents:MaxToolCalls"] = "2";
    }

    /// <summary>A public room of Alice's with Bob in it and an agent that may file tickets (and tell the time).</summary>
    private async Task<(Visitor Alice, Visitor Bob, int RoomId)> TicketRoom(string name, string handle, string modelName)
    {
        var (alice, _) = await app.SignedInPerson($"Alice {name}");
        var (bob, _) = await app.SignedInPerson($"Bob {name}");
        var roomId = await alice.CreateRoom(name, "Public");
        await bob.Join(roomId);
        var agentId = await app.CreateAgent(alice, $"Agent {handle}", handle, model: modelName);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Submit($"/agents/{agentId}/edit", "Save agent", new Dictionary<string, string>
        {
            ["Input.Tools[0]"] = "team/file_ticket", ["Input.Tools[1]"] = "team/now",
        })).Status);
        await alice.AddAgent(roomId, agentId);
        return (alice, bob, roomId);
    }

    private async Task<ToolApproval> Waiting(int roomId) =>
        await Eventually.Value(async () => await app.WithDb(db => db.ToolApprovals.AsNoTracking()
            .SingleOrDefaultAsync(a => a.RoomId == roomId && a.Decision == ApprovalDecision.Waiting)), what: "the call to wait for approval");

    private int TicketsFiled(string title) => tools.Calls.Count(c => c.Tool == "file_ticket" && c.Argument == title);

    [Fact]
    public async Task A_tool_that_changes_something_runs_only_once_the_person_who_asked_allows_it()
    {
        var (alice, bob, roomId) = await TicketRoom("Printer Trouble", "ticketer", "ticket-model");
        model.Scripts["ticket-model"] = ModelScript.Call(ModelScript.Say("Filed it for you."), ("file_ticket", """{"title":"Printer on fire"}"""));

        await alice.Send(roomId, "@ticketer please file a ticket about the printer");
        var approval = await Waiting(roomId);

        Assert.Equal("team/file_ticket", approval.Tool);
        Assert.Contains("Printer on fire", approval.Arguments);
        Assert.Equal(0, TicketsFiled("Printer on fire"));
        // The asker's page offers the decision; everyone else's says it waits.
        var alicesPage = await alice.Get($"/rooms/{roomId}");
        var waitingStep = alicesPage.Document.QuerySelector(".tool-step.waiting")!;
        Assert.Contains("Asks to use team/file_ticket", waitingStep.QuerySelector("summary")!.TextContent);
        Assert.False(waitingStep.QuerySelector(".approval-form")!.HasAttribute("hidden"));
        Assert.True(waitingStep.QuerySelector(".approval-wait")!.HasAttribute("hidden"));
        var bobsStep = (await bob.Get($"/rooms/{roomId}")).Document.QuerySelector(".tool-step.waiting")!;
        Assert.True(bobsStep.QuerySelector(".approval-form")!.HasAttribute("hidden"));
        Assert.Equal("Waiting for approval", bobsStep.QuerySelector(".approval-wait:not([hidden])")!.TextContent.Trim());

        // Bob cannot decide for Alice, with the form or by hand.
        var bobsPage = await bob.Get($"/rooms/{roomId}/approvals/{approval.Id}");
        Assert.Contains("Waiting for approval by the person who asked.", bobsPage.Text);
        Assert.Empty(bobsPage.Document.QuerySelectorAll("button[value=allow]"));
        var forged = await bob.Post($"/rooms/{roomId}/approvals/{approval.Id}", new Dictionary<string, string>
        {
            ["decision"] = "allow", ["__RequestVerificationToken"] = (await bob.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
        });
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Contains("Only the person who asked the agent can decide this.", forged.Text);
        Assert.Equal(ApprovalDecision.Waiting, await app.WithDb(db => db.ToolApprovals.Where(a => a.Id == approval.Id).Select(a => a.Decision).SingleAsync()));

        var allowed = await alice.Submit($"/rooms/{roomId}", "Allow once", new Dictionary<string, string> { ["decision"] = "allow" });
        Assert.Equal(HttpStatusCode.Redirect, allowed.Status);
        var reply = await app.AnsweredIn(roomId);

        Assert.Equal("Filed it for you.", reply.ReplyMessage!.Content);
        Assert.Equal(1, TicketsFiled("Printer on fire"));
        var step = Assert.Single(ToolStep.Read(reply.ToolSteps));
        Assert.Equal(ApprovalDecision.Allowed, step.Approval!.Decision);
        Assert.Equal("Filed ticket #42: Printer on fire", step.Result);
        // Once: the same decision cannot be made again.
        var again = await alice.Post($"/rooms/{roomId}/approvals/{approval.Id}", new Dictionary<string, string>
        {
            ["decision"] = "allow", ["__RequestVerificationToken"] = (await alice.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
        });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(1, TicketsFiled("Printer on fire"));
    }

    [Fact]
    public async Task Denied_the_tool_is_not_run_and_the_model_is_told_so()
    {
        var (alice, _, roomId) = await TicketRoom("Denied Tickets", "eager", "eager-model");
        model.Scripts["eager-model"] = ModelScript.Call(ModelScript.Say("All right, I won't."), ("file_ticket", """{"title":"Reboot production"}"""));

        await alice.Send(roomId, "@eager should we reboot production?");
        var approval = await Waiting(roomId);
        var denied = await alice.PostAsHtmx($"/rooms/{roomId}/approvals/{approval.Id}", new Dictionary<string, string>
        {
            ["decision"] = "deny", ["__RequestVerificationToken"] = (await alice.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
        });
        Assert.Equal(HttpStatusCode.NoContent, denied.Status);
        var reply = await app.AnsweredIn(roomId);

        Assert.Equal(0, TicketsFiled("Reboot production"));
        Assert.Equal("All right, I won't.", reply.ReplyMessage!.Content);
        Assert.Contains(model.RequestsFor("eager-model")[1].Messages, m => m.Role == "tool" && m.Content.Contains("denied this call"));
        var shown = (await alice.Get($"/rooms/{roomId}")).Document.QuerySelector($"#message-{reply.ReplyMessageId} .tool-step")!;
        Assert.Equal("🛠 Denied: team/file_ticket", shown.QuerySelector("summary")!.TextContent.Trim());
        Assert.Null(shown.QuerySelector("form"));
    }

    [Fact]
    public async Task A_bad_decision_is_refused_with_a_message()
    {
        var (alice, _, roomId) = await TicketRoom("Odd Choices", "odd", "odd-model");
        model.Scripts["odd-model"] = ModelScript.Call(ModelScript.Say("Fine."), ("file_ticket", """{"title":"Odd"}"""));
        await alice.Send(roomId, "@odd file it");
        var approval = await Waiting(roomId);

        var odd = await alice.Post($"/rooms/{roomId}/approvals/{approval.Id}", new Dictionary<string, string>
        {
            ["decision"] = "maybe", ["__RequestVerificationToken"] = (await alice.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
        });
        Assert.Equal(HttpStatusCode.BadRequest, odd.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Get($"/rooms/{roomId + 1000}/approvals/{approval.Id}")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Submit($"/rooms/{roomId}/approvals/{approval.Id}", "Deny",
            new Dictionary<string, string> { ["decision"] = "deny" })).Status);
        await app.AnsweredIn(roomId);
    }

    [Fact]
    public async Task The_administrator_chooses_which_tools_ask_first()
    {
        var (admin, adminEmail) = await app.SignedInPerson("Ada Administers Tools");
        await app.WithDb(db => db.Users.Where(u => u.Email == adminEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsSiteAdmin, true)));
        await admin.SignOut();
        await admin.SignIn(adminEmail);
        var page = await admin.Get("/admin/tools");
        // Until the administrator chooses, the tool whose server says it changes something asks.
        var ticked = page.Document.QuerySelectorAll("input[name=ask]").Where(i => i.HasAttribute("checked")).Select(i => i.GetAttribute("value"));
        Assert.Equal(["team/file_ticket"], ticked);

        var saved = await admin.Post("/admin/tools", [
            new("listed", "team/now"), new("listed", "team/lookup"), new("listed", "team/file_ticket"), new("ask", "team/now"),
            new("__RequestVerificationToken", page.AntiforgeryToken("Save approvals")),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var after = await admin.Get("/admin/tools");
        Assert.Contains("Saved. Replies ask before the ticked tools from now on.", after.Text);
        Assert.Equal(["team/now"], after.Document.QuerySelectorAll("input[name=ask]").Where(i => i.HasAttribute("checked")).Select(i => i.GetAttribute("value")));
        var unknown = await admin.Post("/admin/tools", [new("listed", "elsewhere/drop_tables"), new("__RequestVerificationToken", after.AntiforgeryToken("Save approvals"))]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);

        try
        {
            var (alice, _, roomId) = await TicketRoom("Chosen Rules", "ruled", "ruled-model");
            model.Scripts["ruled-model"] = ModelScript.Call(ModelScript.Say("Filed without asking."), ("file_ticket", """{"title":"No need to ask"}"""));
            await alice.Send(roomId, "@ruled file it");
            var reply = await app.AnsweredIn(roomId);

            Assert.Equal(1, TicketsFiled("No need to ask"));
            Assert.Null(Assert.Single(ToolStep.Read(reply.ToolSteps)).Approval);
            Assert.False(await app.WithDb(db => db.ToolApprovals.AnyAsync(a => a.RoomId == roomId)));
        }
        finally
        {
            // The other tests of this class share the site: they expect the server's own word again.
            await app.WithDb(db => db.ToolRules.ExecuteDeleteAsync());
        }
    }
}

/// <summary>A call nobody decides expires (<c>Agents:ApprovalTimeout</c>): it is not run, and a late decision is refused.</summary>
public sealed class ApprovalExpiryTests : IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>, IClassFixture<FakeToolServer>
{
    private readonly SqliteAppFactory app;
    private readonly FakeModelServer model;
    private readonly FakeToolServer tools;

    public ApprovalExpiryTests(SqliteAppFactory app, FakeModelServer model, FakeToolServer tools)
    {
        (this.app, this.model, this.tools) = (app, model, tools);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "expiry-model";
        app.Settings["AI:ToolServers:0:Name"] = "team";
        app.Settings["AI:ToolServers:0:Url"] = tools.Url;
        app.Settings["Agents:ApprovalTimeout"] = "00:00:02";
        app.Settings["Agents:Deadline"] = "00:00:30";
    }

    [Fact]
    public async Task A_call_nobody_allows_in_time_is_not_run_and_cannot_be_allowed_later()
    {
        var (alice, _) = await app.SignedInPerson("Alice Away From Keyboard");
        var roomId = await alice.CreateRoom("Unattended");
        var agentId = await app.CreateAgent(alice, "Patient", "patient");
        await alice.Submit($"/agents/{agentId}/edit", "Save agent", new Dictionary<string, string> { ["Input.Tools[0]"] = "team/file_ticket" });
        await alice.AddAgent(roomId, agentId);
        model.Scripts["expiry-model"] = ModelScript.Call(ModelScript.Say("Nobody said yes, so I left it."), ("file_ticket", """{"title":"Unattended"}"""));

        await alice.Send(roomId, "@patient file something");
        var reply = await app.AnsweredIn(roomId);

        Assert.DoesNotContain(tools.Calls, c => c.Argument == "Unattended");
        var step = Assert.Single(ToolStep.Read(reply.ToolSteps));
        Assert.Equal(ApprovalDecision.Expired, step.Approval!.Decision);
        Assert.Contains(model.RequestsFor("expiry-model")[1].Messages, m => m.Role == "tool" && m.Content.Contains("did not allow this call in time"));
        var approvalId = step.Approval.Id;
        var late = await alice.Post($"/rooms/{roomId}/approvals/{approvalId}", new Dictionary<string, string>
        {
            ["decision"] = "allow", ["__RequestVerificationToken"] = (await alice.Get($"/rooms/{roomId}")).AntiforgeryToken("Send"),
        });
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Contains("waited too long", late.Text);
        Assert.DoesNotContain(tools.Calls, c => c.Argument == "Unattended");
    }
}
