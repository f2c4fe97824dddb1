using System.Collections.Concurrent;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// Arrivals and departures change the member list. In a busy room many sockets open or close at
/// once (a restart, a thousand people arriving), so changes within a short window are pushed as
/// one member list instead of one list per socket.
/// </summary>
public sealed class PresenceUpdates(IServiceScopeFactory scopes, ILogger<PresenceUpdates> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(150);

    private readonly ConcurrentDictionary<int, byte> pending = new();

    public void Changed(int roomId)
    {
        if (pending.TryAdd(roomId, 0))
            _ = Push(roomId);
    }

    private async Task Push(int roomId)
    {
        try
        {
            await Task.Delay(Window);
            pending.TryRemove(roomId, out _);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPresenceFeed>().PresenceChanged(roomId);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not push the member list of room {RoomId}", roomId);
        }
    }
}
