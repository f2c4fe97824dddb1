using System.Security.Claims;
using System.Text.RegularExpressions;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Features.Members;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Rooms;

/// <summary>One line of the rooms list beside every page: the room, what its reader has not read, and whether that mentions them.</summary>
public sealed record NavRoom(int Id, string Name, int Unread, bool Mentioned)
{
    /// <summary>Counted up to here; more shows as "99+".</summary>
    public const int CountCap = 99;

    public string Count => Unread > CountCap ? $"{CountCap}+" : Unread.ToString();

    /// <summary>What a screen reader says for the link, starting with the name that shows.</summary>
    public string? Label => Unread == 0 ? null : $"{Name}, {Count} unread{(Mentioned ? ", mentions you" : "")}";
}

public sealed record RoomsNavModel(IReadOnlyList<NavRoom> Rooms, int? Current)
{
    /// <summary>Unread in the rooms not being read here (the tab's title counts them).</summary>
    public int Unread => Rooms.Sum(r => Math.Min(r.Unread, NavRoom.CountCap));
}

/// <summary>The signed-in person's rooms, with unread counts from where they last read (their own messages never count).</summary>
public sealed class RoomsNavigation(AppDbContext db)
{
    /// <summary>
    /// Unread messages and mentions are looked for among this many of the newest messages of each
    /// room, so a room left unread for months costs no more than a busy afternoon. (A count bounded
    /// by LIMIT would need a correlated derived table, which MariaDB does not allow.)
    /// </summary>
    private const int Window = 500;

    /// <summary>The list this request already read: the rooms page and the layout around it ask alike.</summary>
    private (string User, int? Current, RoomsNavModel Model)? read;

    public async Task<RoomsNavModel> For(ClaimsPrincipal user, int? current, CancellationToken cancel = default)
    {
        var me = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (read is { } earlier && earlier.User == me && earlier.Current == current)
            return earlier.Model;
        var model = await Read(me, user.DisplayNameOf(), current, cancel);
        read = (me, current, model);
        return model;
    }

    private async Task<RoomsNavModel> Read(string me, string displayName, int? current, CancellationToken cancel)
    {
        var rooms = await db.RoomMembers.Where(m => m.UserId == me)
            .Select(m => new
            {
                m.RoomId,
                m.Room!.Name,
                Unread = m.Room.LastSeq == m.LastReadSeq ? 0 : db.Messages
                    .Count(x => x.RoomId == m.RoomId && x.Seq > m.LastReadSeq && x.Seq > m.Room.LastSeq - Window
                        && x.SenderUserId != me && x.Kind != MessageKind.System && x.DeletedAt == null),
            })
            .AsNoTracking().ToListAsync(cancel);

        var mentioned = rooms.Any(r => r.Unread > 0 && r.RoomId != current)
            ? await MentionedIn(me, PersonShown.MentionOf(displayName), cancel)
            : [];
        return new RoomsNavModel(rooms
            .Select(r => r.RoomId == current
                ? new NavRoom(r.RoomId, r.Name, 0, false)
                : new NavRoom(r.RoomId, r.Name, r.Unread, r.Unread > 0 && mentioned.Contains(r.RoomId)))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Id)
            .ToList(), current);
    }

    /// <summary>The rooms where an unread message mentions the person (<c>@their-name</c>, as the composer writes it).</summary>
    private async Task<HashSet<int>> MentionedIn(string me, string mention, CancellationToken cancel)
    {
        if (mention.Length == 0)
            return [];
        // LIKE narrows it down in the database; the same rule as the page's (whole handle only) decides.
        var pattern = "%@" + mention + "%";
        var candidates = await (
                from m in db.RoomMembers
                where m.UserId == me && m.Room!.LastSeq > m.LastReadSeq
                from x in db.Messages
                where x.RoomId == m.RoomId && x.Seq > m.LastReadSeq && x.Seq > m.Room!.LastSeq - Window
                    && x.SenderUserId != me && x.DeletedAt == null && EF.Functions.Like(x.Content, pattern)
                orderby x.Id descending
                select new { x.RoomId, x.Content })
            .Take(500).AsNoTracking().ToListAsync(cancel);
        var whole = new Regex($@"(?<![A-Za-z0-9_@./-])@{Regex.Escape(mention)}(?![A-Za-z0-9-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return candidates.Where(c => whole.IsMatch(c.Content)).Select(c => c.RoomId).ToHashSet();
    }
}
