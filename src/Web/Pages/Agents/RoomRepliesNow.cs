using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>A reconnecting page's placeholders, put right: the replies being written now, with their text so far.</summary>
public sealed class RoomRepliesNow(IServiceScopeFactory scopes, FragmentRenderer renderer) : IRoomNow
{
    public async Task<byte[]> Now(int roomId, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var replies = await scope.ServiceProvider.GetRequiredService<AgentsInRoom>().Answering(roomId, cancel);
        return await renderer.RenderUtf8(RepliesNow.Of(replies));
    }
}
