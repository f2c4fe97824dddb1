using System.Net;

namespace AgentRooms.Tests.Infrastructure;

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
        return await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Agents.Where(a => a.Handle == handle && a.DeletedAt == null).OrderByDescending(a => a.Id).Take(1).Select(a => a.Id)));
    }

    public static async Task<Visitor.Page> AddAgent(this Visitor visitor, int roomId, int agentId) =>
        await visitor.Submit($"/rooms/{roomId}", "Add agent", new Dictionary<string, string> { ["agentId"] = agentId.ToString() });
}
