using System.Collections.Concurrent;
using AgentRooms.Web.Components;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// "Alice is typing…": shown while the page keeps saying so (it repeats every couple of seconds),
/// gone about five seconds after the last word or as soon as the message arrives.
/// </summary>
public sealed class Typing(FragmentRenderer renderer, IRoomBroadcaster broadcaster)
{
    public static readonly TimeSpan ShownFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, (string Name, DateTime Until)>> rooms = new();

    public async Task Started(int roomId, string userId, string name)
    {
        var typers = rooms.GetOrAdd(roomId, _ => new());
        var isNew = !typers.ContainsKey(userId);
        typers[userId] = (name, DateTime.UtcNow + ShownFor);
        if (isNew)
            await Publish(roomId);
        _ = ExpireLater(roomId);
    }

    public async Task Stopped(int roomId, string userId)
    {
        if (rooms.TryGetValue(roomId, out var typers) && typers.TryRemove(userId, out _))
            await Publish(roomId);
    }

    private async Task ExpireLater(int roomId)
    {
        await Task.Delay(ShownFor + TimeSpan.FromMilliseconds(100));
        if (!rooms.TryGetValue(roomId, out var typers))
            return;
        var expired = typers.Where(t => t.Value.Until <= DateTime.UtcNow).Select(t => t.Key).ToList();
        var removed = expired.Count(userId => typers.TryRemove(userId, out _));
        if (removed > 0)
            await Publish(roomId);
    }

    private async Task Publish(int roomId)
    {
        var names = rooms.TryGetValue(roomId, out var typers)
            ? typers.Values.Where(t => t.Until > DateTime.UtcNow).Select(t => t.Name).Order().ToList()
            : [];
        var fragment = await renderer.RenderUtf8<TypingView>(new Dictionary<string, object?> { ["Names"] = names, ["Oob"] = "true" });
        await broadcaster.Publish(roomId, fragment);
    }
}
