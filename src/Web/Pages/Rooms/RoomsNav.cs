using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Rooms;

/// <summary>One line of the rooms list beside every page: the room, what its reader has not read, and whether that mentions them.</summary>
public sealed record NavRoom(int Id, string Name, int Unread, bool Mentioned, bool IsDirect = false)
{
    /// <summary>Counted up to here; more shows as "99+".</summary>
    public const int CountCap = 99;

    public string Count => Unread > CountCap ? $"{CountCap}+" : Unread.ToString();

    /// <summary>What a screen reader says for the link, starting with the name that shows.</summary>
    public string? Label => Unread == 0 ? null : $"{Name}, {Count} unread{(Mentioned ? ", mentions you" : "")}";
}

public sealed record RoomsNavModel(IReadOnlyList<NavRoom> Rooms, int? Current, int UnreadMentions = 0)
{
    /// <summary>What a screen reader says for the Mentions link.</summary>
    public string MentionsLabel => UnreadMentions == 0 ? "Mentions" : $"Mentions, {Math.Min(UnreadMentions, NavRoom.CountCap)}{(UnreadMentions > NavRoom.CountCap ? "+" : "")} unread";

    /// <summary>Unread in the rooms not being read here (the tab's title counts them).</summary>
    public int Unread => Rooms.Sum(r => Math.Min(r.Unread, NavRoom.CountCap));
}

/// <summary>The signed-in person's rooms, with unread counts from where they last read (their own messages never count).</summary>
public sealed class RoomsNavigation(AppDbContext db)
{
    /// <summary>
    /// Unread messages are counted among at most this many of the newest messages of each room: a
    /// room further behind shows "99+" without counting, so a person in a hundred busy rooms costs no
    /// more than one in a quiet one. (A count bounded by LIMIT would need a correlated derived table,
    /// which MariaDB does not allow.) Their own messages are left out of the count, not of the window.
    /// </summary>
    private const int Window = NavRoom.CountCap + 1;

    /// <summary>The list this request already read: the rooms page and the layout around it ask alike.</summary>
    private (string User, int? Current, RoomsNavModel Model)? read;

    public async Task<RoomsNavModel> For(ClaimsPrincipal user, int? current, CancellationToken cancel = default)
    {
        var me = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (read is { } earlier && earlier.User == me && earlier.Current == current)
            return earlier.Model;
        var model = await Read(me, current, cancel);
        read = (me, current, model);
        return model;
    }

    private async Task<RoomsNavModel> Read(string me, int? current, CancellationToken cancel)
    {
        var rooms = await db.RoomMembers.Where(m => m.UserId == me && m.Room!.ArchivedAt == null)
            .Select(m => new
            {
                m.RoomId,
                m.Room!.Name,
                m.Room.Kind,
                Unread = m.Room.LastSeq == m.LastReadSeq ? 0
                    : m.Room.LastSeq - m.LastReadSeq > Window ? Window
                    : db.Messages.Count(x => x.RoomId == m.RoomId && x.Seq > m.LastReadSeq
                        && x.SenderUserId != me && x.Kind != MessageKind.System && x.DeletedAt == null),
            })
            .AsNoTracking().ToListAsync(cancel);

        var mentioned = await MentionedIn(me, cancel);
        var others = await OthersIn(rooms.Where(r => r.Kind == RoomKind.Direct).Select(r => r.RoomId).ToList(), me, cancel);
        return new RoomsNavModel(rooms
            .Select(r => new NavRoom(r.RoomId, others.GetValueOrDefault(r.RoomId) ?? r.Name,
                r.RoomId == current ? 0 : r.Unread, r.RoomId != current && mentioned.ContainsKey(r.RoomId), r.Kind == RoomKind.Direct))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Id)
            .ToList(), current, mentioned.Where(m => m.Key != current).Sum(m => m.Value));
    }

    /// <summary>A direct conversation as its header names it for <paramref name="me"/>: who else is in it; other rooms by their name.</summary>
    public async Task<string> NameFor(Room room, string me, CancellationToken cancel = default) =>
        room.IsDirect && (await OthersIn([room.Id], me, cancel)).GetValueOrDefault(room.Id) is { } others ? others : room.Name;

    /// <summary>A direct conversation is listed by who else is in it ("Bob Stone, Owl"); yours alone, by your name.</summary>
    private async Task<Dictionary<int, string>> OthersIn(List<int> direct, string me, CancellationToken cancel)
    {
        if (direct.Count == 0)
            return [];
        // Ordered as DirectConversations.Named orders them: whoever opened it first, then by joining.
        var people = await db.RoomMembers.Where(m => direct.Contains(m.RoomId) && m.UserId != me)
            .OrderBy(m => m.UserId != m.Room!.CreatedById).ThenBy(m => m.JoinedAt).Select(m => new { m.RoomId, Name = m.User!.DisplayName }).AsNoTracking().ToListAsync(cancel);
        var agents = await db.RoomAgents.Where(a => direct.Contains(a.RoomId))
            .Select(a => new { a.RoomId, a.Agent!.Name }).AsNoTracking().ToListAsync(cancel);
        return people.Concat(agents).GroupBy(n => n.RoomId).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(n => n.Name)));
    }

    /// <summary>The rooms where unread messages mention or quote the person, with how many (from the mentions saved with the messages).</summary>
    private async Task<Dictionary<int, int>> MentionedIn(string me, CancellationToken cancel) =>
        await (from m in db.RoomMembers
               where m.UserId == me && m.Room!.LastSeq > m.LastReadSeq
               from p in db.PersonMentions
               where p.UserId == me && p.RoomId == m.RoomId && p.Seq > m.LastReadSeq && p.Message!.DeletedAt == null
               group p by p.RoomId into room
               select new { RoomId = room.Key, Count = room.Count() })
            .AsNoTracking().ToDictionaryAsync(r => r.RoomId, r => r.Count, cancel);
}
