using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Rooms;

public class IndexModel(AppDbContext db, RoomsNavigation navigation) : PageModel
{
    public IReadOnlyList<RoomRow> Mine { get; private set; } = [];
    public IReadOnlyList<RoomRow> Joinable { get; private set; } = [];

    /// <summary>The person's archived rooms: read-only, listed apart.</summary>
    public IReadOnlyList<RoomRow> Archived { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        // Direct conversations are in the shell's list of their own, not here.
        Mine = await db.RoomMembers.Where(m => m.UserId == me && m.Room!.Kind == RoomKind.Room)
            .Select(m => new RoomRow(m.Room!.Id, m.Room.Name, m.Room.Description, m.Room.Visibility,
                m.Room.Members.Count, m.Room.Agents.Count,
                // The newest message is the one at LastSeq: found by the (room, Seq) index, not by reading them all.
                db.Messages.Where(x => x.RoomId == m.RoomId && x.Seq == m.Room.LastSeq).Select(x => (DateTime?)x.CreatedAt).FirstOrDefault() ?? m.Room.CreatedAt,
                0))
            .AsNoTracking().ToListAsync();
        // The same counts as the shell's list beside it.
        var unread = (await navigation.For(User, current: null)).Rooms.ToDictionary(r => r.Id);
        var archived = await db.Rooms.Where(r => r.ArchivedAt != null).Where(r => r.Members.Any(m => m.UserId == me)).Select(r => r.Id).ToListAsync();
        Archived = Mine.Where(r => archived.Contains(r.Id)).OrderByDescending(r => r.LastActivity).ToList();
        Mine = Mine.Where(r => !archived.Contains(r.Id))
            .Select(r => unread.TryGetValue(r.Id, out var line) ? r with { Unread = line.Unread, UnreadCount = line.Count } : r)
            .OrderByDescending(r => r.LastActivity).ToList();

        Joinable = await db.Rooms
            .Where(r => r.Visibility == RoomVisibility.Public && r.ArchivedAt == null && !r.Members.Any(m => m.UserId == me))
            .OrderByDescending(r => r.LastSeq).Take(50)
            .Select(r => new RoomRow(r.Id, r.Name, r.Description, r.Visibility, r.Members.Count, r.Agents.Count, r.CreatedAt, 0))
            .AsNoTracking().ToListAsync();
    }
}

public sealed record RoomRow(int Id, string Name, string Description, RoomVisibility Visibility,
    int Members, int Agents, DateTime LastActivity, int Unread, string UnreadCount = "");
