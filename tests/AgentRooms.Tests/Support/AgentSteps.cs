using System.Net;
using AgentRooms.Data.Agents;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Support;

public static class AgentSteps
{
    public static async Task<int> CreateAgent(this AppFactory app, Visitor visitor, string name, string handle,
        string? model = null, string prompt = "You are a thoughtful helper who answers briefly.", string style = "Friendly")
    {
        var created = await visitor.Submit("/agents/new", "Create agent", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Handle"] = handle, ["Input.Emoji"] = "🦉",
            ["Input.Prompt"] = prompt, ["Input.Style"] = style, ["Input.Model"] = model ?? "",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        return await app.WithDb(db => EntityFrameworkQueryableExtensions.SingleAsync(
            db.Agents.Where(a => a.Handle == handle && a.DeletedAt == null).OrderByDescending(a => a.Id).Take(1).Select(a => a.Id)));
    }

    public static async Task<Visitor.Page> AddAgent(this Visitor visitor, int roomId, int agentId) =>
        await visitor.Submit($"/rooms/{roomId}", "Add agent", new Dictionary<string, string> { ["agentId"] = agentId.ToString() });

    /// <summary>Presses Stop on a streaming reply as htmx does (the page's token in the header).</summary>
    public static Task<HttpResponseMessage> Stop(this Visitor visitor, int roomId, long replyId) =>
        visitor.PressAsScript(roomId, $"/rooms/{roomId}/agents?handler=Stop&replyId={replyId}");

    /// <summary>Presses Retry or Regenerate on an agent's message, as room.js does.</summary>
    public static Task<HttpResponseMessage> AnswerAgain(this Visitor visitor, int roomId, long messageId) =>
        visitor.PressAsScript(roomId, $"/rooms/{roomId}/agents?handler=Again&messageId={messageId}");

    /// <summary>A post from the room page's script: its antiforgery token in the header, marked as htmx.</summary>
    private static async Task<HttpResponseMessage> PressAsScript(this Visitor visitor, int roomId, string url)
    {
        var page = await visitor.Get($"/rooms/{roomId}");
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", page.AntiforgeryToken("Send"));
        return await visitor.Client.SendAsync(request);
    }

    /// <summary>Waits for the one agent reply in the room to be posted, and returns it with its message.</summary>
    public static async Task<AgentReply> AnsweredIn(this AppFactory app, int roomId, TimeSpan? wait = null)
    {
        await Eventually.True(async () => await app.WithDb(db => db.AgentReplies.AnyAsync(r => r.TriggerMessage!.RoomId == roomId && r.ReplyMessageId != null)),
            wait ?? TimeSpan.FromSeconds(30), "the reply");
        return await app.WithDb(db => db.AgentReplies.Include(r => r.ReplyMessage).SingleAsync(r => r.TriggerMessage!.RoomId == roomId));
    }

    /// <summary>
    /// Waits until no reply job is queued, scheduled or running: whatever was set off has ended, so
    /// a test can then assert that something did not happen.
    /// </summary>
    public static Task JobsIdle(this AppFactory app)
    {
        var monitor = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return Eventually.True(() => monitor.ProcessingCount() == 0 && monitor.ScheduledCount() == 0
                                     && monitor.Queues().All(queue => queue.Length == 0),
            TimeSpan.FromSeconds(20), "the reply jobs to finish");
    }
}
