using System.Net.WebSockets;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Realtime;

/// <summary>An app of its own: the registry's contents are this test's sockets alone.</summary>
public sealed class ConnectionRegistryTests
{
    [Fact]
    public async Task Rooms_and_people_with_no_socket_left_are_forgotten_including_rooms_that_do_not_exist()
    {
        await using var app = new SqliteAppFactory();
        var (owner, _) = await app.SignedInPerson("Forgetful");
        var roomId = await owner.CreateRoom("Soon empty");
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();

        await using (var open = await LiveSocket.Open(app, owner, roomId))
        {
            await open.Resume(0);
            await open.Collect(f => f.Contains("id=\"members\""), 1);
            Assert.Equal((1, 1), registry.Tracked);
            await open.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "leaving", CancellationToken.None);
        }
        for (var missing = 0; missing < 200; missing++)
        {
            await using var refused = await LiveSocket.Open(app, owner, int.MaxValue - missing);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, (await refused.UntilClosed()).Status);
        }

        await Eventually.True(() => registry.Tracked == (0, 0), what: $"an empty registry, not {registry.Tracked}");
    }
}
