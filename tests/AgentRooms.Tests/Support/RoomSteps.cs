using System.Net;
using System.Text.RegularExpressions;

namespace AgentRooms.Tests.Support;

public static partial class RoomSteps
{
    public static async Task<int> CreateRoom(this Visitor visitor, string name, string visibility = "Private")
    {
        var created = await visitor.Submit("/rooms/new", "Create room", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Description"] = $"About {name}",
            ["Input.Visibility"] = visibility,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        return int.Parse(RoomUrl().Match(created.Location!).Groups[1].Value);
    }

    public static async Task<Visitor.Page> Send(this Visitor visitor, int roomId, string content, Guid? clientMessageId = null)
    {
        var room = await visitor.Get($"/rooms/{roomId}");
        Assert.Equal(HttpStatusCode.OK, room.Status);
        var fields = new Dictionary<string, string> { ["Composer.Content"] = content };
        if (clientMessageId is { } id)
            fields["Composer.ClientMessageId"] = id.ToString();
        return await room.Submit(visitor, "Send", fields);
    }

    public static async Task Join(this Visitor visitor, int roomId)
    {
        var room = await visitor.Get($"/rooms/{roomId}");
        var joined = await room.Submit(visitor, "Join", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
    }

    /// <summary>A token from one of the visitor's own pages, for hand-made requests.</summary>
    public static async Task<string> AnyToken(this Visitor visitor) =>
        (await visitor.Get("/rooms/new")).AntiforgeryToken("Create room");

    [GeneratedRegex(@"^/rooms/(\d+)$")]
    private static partial Regex RoomUrl();
}
