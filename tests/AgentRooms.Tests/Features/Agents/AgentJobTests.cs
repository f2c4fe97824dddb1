using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using AgentRooms.Web.Pages.Agents;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Features.Agents;

public sealed class AgentJobTestsOnSqlite(SqliteAppFactory app, FakeModelServer model)
    : AgentJobTests(app, model), IClassFixture<SqliteAppFactory>, IClassFixture<FakeModelServer>;

public sealed class AgentJobTestsOnMariaDb(MariaDbAppFactory app, FakeModelServer model)
    : AgentJobTests(app, model), IClassFixture<MariaDbAppFactory>, IClassFixture<FakeModelServer>;

/// <summary>The reply jobs themselves: run twice, run late, run after a crash, run fifty at once.</summary>
public abstract class AgentJobTests
{
    private readonly AppFactory app;
    private readonly FakeModelServer model;

    protected AgentJobTests(AppFactory app, FakeModelServer model)
    {
        (this.app, this.model) = (app, model);
        app.Settings["AI:Endpoint"] = model.Endpoint;
        app.Settings["AI:Model"] = "jobs-default";
        app.Settings["Agents:Deadline"] = "00:00:10";
        model.Default = ModelScript.Say("Answer.");
    }

    [Theory]
    [InlineData("message deleted")]
    [InlineData("agent removed")]
    [InlineData("sender removed")]
    public async Task A_job_whose_reason_went_away_ends_without_posting(string change)
    {
        var (roomId, replyId, agentId, senderId) = await PendingReply();
        await app.WithDb(db => change switch
        {
            "message deleted" => db.Messages.Where(m => m.RoomId == roomId).ExecuteUpdateAsync(m => m.SetProperty(x => x.DeletedAt, DateTime.UtcNow)),
            "agent removed" => db.RoomAgents.Where(ra => ra.RoomId == roomId && ra.AgentId == agentId).ExecuteDeleteAsync(),
            _ => db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == senderId).ExecuteDeleteAsync(),
        });

        await Respond(replyId);

        var reply = await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == replyId));
        Assert.Equal(AgentReplyStatus.Skipped, reply.Status);
        Assert.Null(reply.ReplyMessageId);
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
    }

    [Fact]
    public async Task The_same_job_run_twice_at_once_gives_one_reply()
    {
        var (roomId, replyId, _, _) = await PendingReply();

        await Task.WhenAll(Respond(replyId), Respond(replyId), Respond(replyId));

        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
        Assert.Equal(AgentReplyStatus.Done, (await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == replyId))).Status);
    }

    [Fact]
    public async Task A_reply_never_enqueued_because_of_a_crash_is_picked_up_by_the_sweeper_once()
    {
        var (roomId, replyId, _, _) = await PendingReply(createdAgo: TimeSpan.FromMinutes(2));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AgentReplySweeper>().Sweep();
            await scope.ServiceProvider.GetRequiredService<AgentReplySweeper>().Sweep();
        }

        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.Id == replyId && r.CompletedAt != null)));
        await app.JobsIdle();
        Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
    }

    [Fact]
    public async Task A_reply_left_running_by_a_dead_worker_is_answered_once_and_one_still_running_is_left_alone()
    {
        var (roomId, orphanId, _, _) = await PendingReply();
        var (liveRoomId, liveId, _, _) = await PendingReply();
        var startedAgo = DateTime.UtcNow - new AgentOptions().OrphanAfter - TimeSpan.FromSeconds(5);
        await app.WithDb(db => db.AgentReplies.Where(r => r.Id == orphanId || r.Id == liveId)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Running).SetProperty(x => x.StartedAt, startedAgo)));
        var running = app.Services.GetRequiredService<RunningReplies>();
        running.Begin(liveId); // a worker in this process is still producing it

        try
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AgentReplySweeper>().Sweep();
                await scope.ServiceProvider.GetRequiredService<AgentReplySweeper>().Sweep();
            }

            await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.Id == orphanId && r.CompletedAt != null)));
            await app.JobsIdle();
            Assert.Equal(1, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
            var live = await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == liveId));
            Assert.Equal(AgentReplyStatus.Running, live.Status);
            Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == liveRoomId && m.Kind == MessageKind.Agent)));
        }
        finally
        {
            running.End(liveId);
        }
    }

    [Fact]
    public async Task A_reply_handed_back_starts_again_from_nothing_on_pages_that_showed_its_text()
    {
        var (owner, email) = await app.SignedInPerson("Watcher");
        var (roomId, replyId, _, _) = await PendingReplyOf(owner, email);
        var startedAgo = DateTime.UtcNow - new AgentOptions().OrphanAfter - TimeSpan.FromSeconds(5);
        await app.WithDb(db => db.AgentReplies.Where(r => r.Id == replyId).ExecuteUpdateAsync(r => r
            .SetProperty(x => x.Status, AgentReplyStatus.Running).SetProperty(x => x.PartialText, "Half an ans").SetProperty(x => x.StartedAt, startedAgo)));
        await using var socket = await LiveSocket.Open(app, owner, roomId);
        await socket.Resume(1);
        // A page opening (or reconnecting) now is given the replies as they stand.
        var asItStands = (await socket.Collect(f => f.StartsWith("<div id=\"replies\" class=\"replies\" hx-swap-oob=\"outerHTML\""), 1))[0];
        Assert.Contains($"id=\"reply-{replyId}\"", asItStands);
        Assert.Contains("Half an ans", asItStands);

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AgentReplySweeper>().Sweep();

        // The old placeholder goes before a fresh one comes, so the new run's text starts on nothing.
        var seen = new List<string>();
        while (seen.LastOrDefault() is not { } last || !(LiveSocket.IsAppend(last) && last.Contains("Answer.")))
            seen.Add(await socket.Next() ?? throw new InvalidOperationException("closed"));
        var removed = seen.FindIndex(f => f == $"<div id=\"reply-{replyId}\" hx-swap-oob=\"delete\"></div>");
        var fresh = seen.FindIndex(f => f.StartsWith("<div id=\"replies\" hx-swap-oob=\"beforeend\"") && f.Contains($"id=\"reply-{replyId}\""));
        Assert.InRange(removed, 0, fresh - 1);
        Assert.DoesNotContain("Half an ans", seen[fresh]);
        Assert.DoesNotContain(seen, f => f.Contains("Half an ans"));

        // Once it is done, a page opening is given no placeholder at all.
        await using var later = await LiveSocket.Open(app, owner, roomId);
        await later.Resume(2);
        var none = (await later.Collect(f => f.StartsWith("<div id=\"replies\" class=\"replies\""), 1))[0];
        Assert.DoesNotContain("<article", none);
    }

    [Fact]
    public async Task A_worker_thought_dead_saves_nothing_once_its_reply_was_handed_to_another_which_answers_once()
    {
        var (roomId, replyId, agentId, _) = await PendingReply();
        var slow = $"slow-{Guid.NewGuid():N}";
        await app.WithDb(db => db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(a => a.SetProperty(x => x.Model, slow)));
        model.Scripts[slow] = new ModelScript { Chunks = ["Slow ", "but ", "sure."], BetweenChunks = TimeSpan.FromMilliseconds(300) };

        var first = Respond(replyId);
        await Eventually.True(() => Task.FromResult(model.RequestsFor(slow).Count == 1));
        // The sweeper took the first worker for dead and handed the reply back; a second worker claims it.
        await app.WithDb(db => db.AgentReplies.Where(r => r.Id == replyId).ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, AgentReplyStatus.Pending)));
        var second = Respond(replyId);
        await Task.WhenAll(first, second);

        Assert.Equal(2, model.RequestsFor(slow).Count);
        var answers = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.Agent).ToListAsync());
        Assert.Equal("Slow but sure.", Assert.Single(answers).Content);
        var reply = await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == replyId));
        Assert.Equal((AgentReplyStatus.Done, answers[0].Id), (reply.Status, reply.ReplyMessageId));
    }

    [Fact]
    public async Task Replies_finishing_together_in_one_room_are_each_saved_after_one_model_call()
    {
        // On MariaDB, checking a reply's claim once locked a range of the status index, so two replies
        // saving at once could deadlock; the loser's answer was lost and the model asked again.
        const int count = 12;
        var (owner, email) = await app.SignedInPerson("Together");
        var roomId = await owner.CreateRoom("Saved together");
        var together = $"together-{Guid.NewGuid():N}"[..24];
        var agentId = await app.CreateAgent(owner, "Together", together, model: together);
        await owner.AddAgent(roomId, agentId);
        model.Scripts[together] = ModelScript.Say("Here.");
        var replyIds = await app.WithDb(async db =>
        {
            var senderId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var replies = Enumerable.Range(1, count).Select(seq => new AgentReply
            {
                TriggerMessage = new Message { RoomId = roomId, Seq = seq, SenderUserId = senderId, Content = $"@{together} {seq}" },
                AgentId = agentId,
                Depth = 1,
            }).ToList();
            (await db.Rooms.SingleAsync(r => r.Id == roomId)).LastSeq = count;
            db.AgentReplies.AddRange(replies);
            await db.SaveChangesAsync();
            return replies.Select(r => r.Id).ToList();
        });

        await Task.WhenAll(replyIds.Select(Respond));

        Assert.Equal(count, model.RequestsFor(together).Count);
        var replies = await app.WithDb(db => db.AgentReplies.Where(r => r.AgentId == agentId).Include(r => r.ReplyMessage).ToListAsync());
        Assert.All(replies, r => Assert.Equal((AgentReplyStatus.Done, "Here."), (r.Status, r.ReplyMessage?.Content)));
        var seqs = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).Select(m => m.Seq).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 2 * count).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task A_reply_whose_save_fails_once_is_saved_on_the_next_try_without_asking_the_model_again()
    {
        var (roomId, replyId, agentId, _) = await PendingReply();
        var once = $"once-{Guid.NewGuid():N}";
        await app.WithDb(db => db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(a => a.SetProperty(x => x.Model, once)));
        model.Scripts[once] = ModelScript.Say("Said ", "once.");
        var failures = 0;
        app.Faults.FailSave = context => context.ChangeTracker.Entries<Message>()
            .Any(e => e.State == EntityState.Added && e.Entity.RoomId == roomId && e.Entity.Kind == MessageKind.Agent)
            && Interlocked.Increment(ref failures) == 1;
        try
        {
            await Respond(replyId);
        }
        finally
        {
            app.Faults.FailSave = null;
        }

        Assert.Equal(2, failures); // the first save failed, the second went through
        Assert.Single(model.RequestsFor(once));
        var answer = Assert.Single(await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Kind == MessageKind.Agent).ToListAsync()));
        Assert.Equal(("Said once.", 2L), (answer.Content, answer.Seq));
        var reply = await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == replyId));
        Assert.Equal((AgentReplyStatus.Done, answer.Id), (reply.Status, reply.ReplyMessageId));
    }

    [Fact]
    public async Task A_member_who_leaves_takes_their_agents_along_and_a_pending_reply_of_theirs_posts_nothing()
    {
        var (owner, ownerEmail) = await app.SignedInPerson("Stayer");
        var roomId = await owner.CreateRoom("Agents leave too", "Public");
        var (guest, _) = await app.SignedInPerson("Leaver");
        await guest.Join(roomId);
        var handle = $"leaver-{Guid.NewGuid():N}"[..20];
        var agentId = await app.CreateAgent(guest, "Leaver's agent", handle);
        await guest.AddAgent(roomId, agentId);
        var replyId = await PendingMention(roomId, ownerEmail, agentId, $"@{handle} what do you know?");
        await using var socket = await LiveSocket.Open(app, owner, roomId);
        await socket.Resume(1);
        await socket.Collect(f => f.Contains("id=\"members\""), 1);

        var left = await guest.Submit($"/rooms/{roomId}", "Leave room", new Dictionary<string, string>());
        await Respond(replyId);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, left.Status);
        Assert.False(await app.WithDb(db => db.RoomAgents.AnyAsync(ra => ra.RoomId == roomId && ra.AgentId == agentId)));
        await socket.Collect(f => f.Contains("id=\"members\"") && !f.Contains("Leaver&#x27;s agent") && !f.Contains("Leaver's agent"), 1);
        Assert.Equal(AgentReplyStatus.Skipped, (await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == replyId))).Status);
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
    }

    [Fact]
    public async Task A_reply_is_not_given_once_the_person_who_brought_the_agent_is_no_longer_a_member()
    {
        var (roomId, replyId, agentId, senderId) = await PendingReply();
        var (_, otherEmail) = await app.SignedInPerson("Bringer");
        await app.WithDb(async db =>
        {
            // As if removed in the instant before the job ran, with the agent not yet gone.
            var otherId = await db.Users.Where(u => u.Email == otherEmail).Select(u => u.Id).SingleAsync();
            db.RoomMembers.Add(new AgentRooms.Data.Rooms.RoomMember { RoomId = roomId, UserId = otherId });
            await db.SaveChangesAsync();
            await db.RoomAgents.Where(ra => ra.RoomId == roomId && ra.AgentId == agentId).ExecuteUpdateAsync(ra => ra.SetProperty(x => x.AddedById, otherId));
            return await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == otherId).ExecuteDeleteAsync();
        });

        await Respond(replyId);

        Assert.Equal(AgentReplyStatus.Skipped, (await app.WithDb(db => db.AgentReplies.SingleAsync(r => r.Id == replyId))).Status);
        Assert.Equal(0, await app.WithDb(db => db.Messages.CountAsync(m => m.RoomId == roomId && m.Kind == MessageKind.Agent)));
    }

    [Fact]
    public async Task Fifty_mentions_at_once_are_all_answered()
    {
        var (owner, _) = await app.SignedInPerson("Host50");
        var roomId = await owner.CreateRoom("Fifty", "Public");
        var agent = await app.CreateAgent(owner, "Busy", "busy", model: "busy-model");
        await owner.AddAgent(roomId, agent);
        model.Scripts["busy-model"] = new ModelScript { Chunks = ["Busy ", "but ", "here."], Latency = TimeSpan.FromMilliseconds(200) };
        var people = new List<Visitor> { owner };
        for (var i = 1; i < 5; i++)
        {
            var (person, _) = await app.SignedInPerson($"Asker{i}");
            await person.Join(roomId);
            people.Add(person);
        }

        var sent = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => people[i % 5].Send(roomId, $"@busy question {i}")));

        Assert.All(sent, page => Assert.Equal(System.Net.HttpStatusCode.Redirect, page.Status));
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.CountAsync(r => r.AgentId == agent && r.CompletedAt != null)) == 50,
            TimeSpan.FromSeconds(60));
        var replies = await app.WithDb(db => db.AgentReplies.Where(r => r.AgentId == agent).Include(r => r.ReplyMessage).ToListAsync());
        Assert.All(replies, r => Assert.Equal(AgentReplyStatus.Done, r.Status));
        Assert.All(replies, r => Assert.Equal("Busy but here.", r.ReplyMessage!.Content));
    }

    [Fact]
    public async Task Without_a_model_configured_the_agent_says_so_and_names_the_settings()
    {
        using var unconfigured = app.WithWebHostBuilder(b => b
            .UseSetting("AI:Endpoint", "")
            .UseSetting("Hangfire:SqlitePath", app.HangfirePath + ".unconfigured"));
        using var person = VisitorOf(unconfigured);
        await person.Register(People.NewEmail("nomodel"), "No model");
        var roomId = await person.CreateRoom("Unplugged");
        var agent = await app.CreateAgent(person, "Unplugged", "unplugged");
        await person.AddAgent(roomId, agent);
        var requestsBefore = model.Requests.Count;

        await person.Send(roomId, "@unplugged hello?");

        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.AgentId == agent && r.CompletedAt != null)));
        var reply = await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.AgentId == agent));
        Assert.Equal(ReplyState.Failed, reply.ReplyMessage!.ReplyState);
        foreach (var setting in new[] { "AI:Endpoint", "AI:ApiKey", "AI:Model" })
            Assert.Contains(setting, reply.ReplyMessage.Content);
        Assert.Equal(requestsBefore, model.Requests.Count);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await person.Get($"/rooms/{roomId}")).Status);
    }

    [Fact]
    public async Task Agents_choose_from_the_sites_models_and_any_other_is_refused_at_input_and_in_the_job()
    {
        using var restricted = app.WithWebHostBuilder(b => b
            .UseSetting("AI:Models", "allowed-a, allowed-b")
            .UseSetting("Hangfire:SqlitePath", app.HangfirePath + ".restricted"));
        using var person = VisitorOf(restricted);
        await person.Register(People.NewEmail("models"), "Model chooser");
        var form = await person.Get("/agents/new");
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = "Picky", ["Input.Handle"] = $"picky-{Guid.NewGuid():N}"[..20], ["Input.Emoji"] = "🦉",
            ["Input.Prompt"] = "You answer with care.", ["Input.Style"] = "Direct", ["Input.Model"] = "not-offered",
        };

        var refused = await person.Submit("/agents/new", "Create agent", fields);
        fields["Input.Model"] = "allowed-b";
        var created = await person.Submit("/agents/new", "Create agent", fields);

        Assert.Equal(["", "jobs-default", "allowed-a", "allowed-b"],
            form.Document.QuerySelectorAll("select[name='Input.Model'] option").Select(o => o.GetAttribute("value")));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("models this site offers", refused.ErrorFor("Input.Model"));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, created.Status);

        // An agent left on a model the site stopped offering: its reply says so, and the model is not called.
        var (roomId, replyId, agentId, _) = await PendingReply();
        await app.WithDb(db => db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(a => a.SetProperty(x => x.Model, "not-offered")));
        await using (var scope = restricted.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AgentResponder>().Respond(replyId, CancellationToken.None);
        var reply = await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.Id == replyId));
        Assert.Equal((AgentReplyStatus.Failed, ReplyState.Failed), (reply.Status, reply.ReplyMessage!.ReplyState));
        Assert.Contains("does not offer the model `not-offered`", reply.ReplyMessage.Content);
        Assert.Empty(model.RequestsFor("not-offered"));
    }

    /// <summary>A browser on a variant of the app: other settings, the same database.</summary>
    private static Visitor VisitorOf(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> variant)
    {
        var cookies = new System.Net.CookieContainer();
        return new Visitor(variant.CreateDefaultClient(new Uri("http://localhost"),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies)), cookies);
    }

    /// <summary>A saved mention whose job has not run (as if the enqueue never happened).</summary>
    private async Task<(int RoomId, long ReplyId, int AgentId, string SenderId)> PendingReply(TimeSpan? createdAgo = null)
    {
        var (owner, email) = await app.SignedInPerson("Direct");
        return await PendingReplyOf(owner, email, createdAgo);
    }

    private async Task<(int RoomId, long ReplyId, int AgentId, string SenderId)> PendingReplyOf(Visitor owner, string email, TimeSpan? createdAgo = null)
    {
        var roomId = await owner.CreateRoom("Direct jobs");
        var agentId = await app.CreateAgent(owner, "Direct", $"direct-{Guid.NewGuid():N}"[..20]);
        await owner.AddAgent(roomId, agentId);
        return await app.WithDb(async db =>
        {
            var senderId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var message = new Message { RoomId = roomId, Seq = 1, SenderUserId = senderId, Content = "@direct hello" };
            (await db.Rooms.SingleAsync(r => r.Id == roomId)).LastSeq = 1;
            var reply = new AgentReply { TriggerMessage = message, AgentId = agentId, Depth = 1, CreatedAt = DateTime.UtcNow - (createdAgo ?? TimeSpan.Zero) };
            db.AgentReplies.Add(reply);
            await db.SaveChangesAsync();
            return (roomId, reply.Id, agentId, senderId);
        });
    }

    /// <summary>A saved message mentioning the agent whose job has not run yet.</summary>
    private Task<long> PendingMention(int roomId, string senderEmail, int agentId, string content) =>
        app.WithDb(async db =>
        {
            var senderId = await db.Users.Where(u => u.Email == senderEmail).Select(u => u.Id).SingleAsync();
            var room = await db.Rooms.SingleAsync(r => r.Id == roomId);
            var reply = new AgentReply
            {
                TriggerMessage = new Message { RoomId = roomId, Seq = ++room.LastSeq, SenderUserId = senderId, Content = content },
                AgentId = agentId,
                Depth = 1,
            };
            db.AgentReplies.Add(reply);
            await db.SaveChangesAsync();
            return reply.Id;
        });

    private async Task Respond(long replyId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AgentResponder>().Respond(replyId, CancellationToken.None);
    }
}
