using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Accounts;
using Microsoft.EntityFrameworkCore;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Members;

/// <summary>
/// Tells the room who is in it (the member list after joins, departures, role changes and arrivals),
/// and a person's pages that their rooms list changed.
/// </summary>
public sealed class MemberFeed(AppDbContext db, FragmentRenderer renderer, IRoomBroadcaster broadcaster, IPresence presence) : IPresenceFeed, IProfileChanges
{
    /// <summary>A new display name reaches the member lists of every room the person is in.</summary>
    public async Task Renamed(string userId)
    {
        foreach (var roomId in await db.RoomMembers.Where(m => m.UserId == userId).Select(m => m.RoomId).ToListAsync())
            await MembersChanged(roomId);
    }

    /// <summary>
    /// A name that reads, as a mention, like that of someone in a room the person is in: refused, so
    /// nobody can take another's mentions (or be mistaken for them in a member list) by renaming.
    /// </summary>
    public async Task<string?> RenameRefusal(string userId, string name)
    {
        var mention = PersonShown.MentionOf(name);
        var others = await db.RoomMembers
            .Where(m => m.UserId != userId && db.RoomMembers.Any(mine => mine.UserId == userId && mine.RoomId == m.RoomId))
            .Select(m => new { m.User!.DisplayName, Room = m.Room!.Name, m.Room.Kind }).AsNoTracking().ToListAsync();
        return others.FirstOrDefault(o => PersonShown.MentionOf(o.DisplayName) == mention) is { } taken
            ? $"Someone {(taken.Kind == RoomKind.Direct ? "you talk with" : $"in {taken.Room}")} is already called {taken.DisplayName}: choose a name people can tell apart."
            : null;
    }

    public async Task MembersChanged(int roomId, CancellationToken cancel = default)
    {
        var members = await RoomMembers.Load(db, presence, roomId, cancel);
        await broadcaster.Publish(roomId, await renderer.RenderUtf8(MembersView.Replacing(members)));
    }

    /// <summary>Everyone sees the new member; the member's own pages start listing the room.</summary>
    public async Task Joined(int roomId, string userId, CancellationToken cancel = default)
    {
        await broadcaster.PersonRoomsChanged(userId, joinedOrLeft: true);
        await MembersChanged(roomId, cancel);
    }

    /// <summary>The person read a room: its count clears on their other pages.</summary>
    public Task Read(string userId) => broadcaster.PersonRoomsChanged(userId, joinedOrLeft: false);

    public Task PresenceChanged(int roomId, CancellationToken cancel = default) => MembersChanged(roomId, cancel);

    /// <summary>The member's sockets close at once; everyone else sees the member list change.</summary>
    public async Task MemberLeft(int roomId, string userId, CancellationToken cancel = default)
    {
        await broadcaster.Disconnect(roomId, userId);
        await broadcaster.PersonRoomsChanged(userId, joinedOrLeft: true);
        await MembersChanged(roomId, cancel);
    }
}
