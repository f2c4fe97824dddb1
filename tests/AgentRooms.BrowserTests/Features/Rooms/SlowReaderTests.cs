using System.Net.WebSockets;
using AgentRooms.BrowserTests.Support;
using AgentRooms.Web.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentRooms.BrowserTests.Features.Rooms;

/// <summary>Back-pressure over real TCP (Kestrel): a reader that stops reading is let go; the others keep pace.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SlowReaderTests(LiveApp app, Chromium chromium)
{
    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_and_everyone_else_gets_everything()
    {
        await using var owner = await Person.Arrive(chromium, app, "Fast");
        await owner.Register();
        var roomUrl = await owner.CreateRoom("Back pressure", "Private");
        var roomId = int.Parse(roomUrl.Segments[^1]);
        var cookie = string.Join("; ", (await owner.Page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        // Only the two sockets below are in the room: a browser tab flooded with 32 MB may fall behind
        // and be let go too, which is right but not what this test counts.
        await owner.Page.GotoAsync(new Uri(roomUrl, "/rooms").ToString());

        using var stalled = await Connect(roomUrl, roomId, cookie);
        using var reader = await Connect(roomUrl, roomId, cookie);
        const int fragments = 2000;
        var received = 0;
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (received < fragments)
            {
                var result = await reader.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                if (result.EndOfMessage && buffer.AsSpan(0, Math.Min(result.Count, 9)).SequenceEqual("<p id=\"x\""u8[..Math.Min(result.Count, 9)]))
                    Interlocked.Increment(ref received);
            }
        });

        var broadcaster = app.Services.GetRequiredService<IRoomBroadcaster>();
        var fragment = System.Text.Encoding.UTF8.GetBytes("<p id=\"x\">" + new string('x', 16 * 1024) + "</p>");
        Assert.True(await SocketsInRoomBecome(roomId, 2), "the two sockets, and only they, are in the room");
        for (var i = 0; i < fragments; i++)
        {
            // A busy room, not an infinitely fast one: the reader that reads keeps within a few hundred.
            while (i - Volatile.Read(ref received) > 200)
                await Task.Delay(1);
            await broadcaster.Publish(roomId, fragment);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(fragments, received);
        Assert.True(await SocketsInRoomBecome(roomId, 1), "the stalled socket was let go");
    }

    private async Task<bool> SocketsInRoomBecome(int roomId, int count)
    {
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        int InRoom() => registry.UsersIn(roomId).Sum(user => registry.ConnectionsOf(user).Count(c => c.RoomId == roomId));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (InRoom() != count && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        return InRoom() == count;
    }

    private async Task<ClientWebSocket> Connect(Uri roomUrl, int roomId, string cookie)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", app.BaseUrl);
        await socket.ConnectAsync(new Uri($"ws://{roomUrl.Authority}/rooms/{roomId}/live"), CancellationToken.None);
        await socket.SendAsync("{\"type\":\"resume\",\"after\":0}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }
}
