using AgentRooms.Data;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Members;

/// <summary>What the sockets ask of membership: which rooms a person is in, and how far they have read one. A socket outlives any request, so each question gets a scope of its own.</summary>
public sealed class RoomReading(IServiceScopeFactory scopes) : IPersonRooms, IRoomRead
{
    public async Task<IReadOnlyCollection<int>> RoomsOf(string userId, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>()
            .RoomMembers.Where(m => m.UserId == userId).Select(m => m.RoomId).ToListAsync(cancel);
    }

    public async Task Read(int roomId, string userId, long seq, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Membership>().MarkRead(roomId, userId, seq, cancel);
    }
}
