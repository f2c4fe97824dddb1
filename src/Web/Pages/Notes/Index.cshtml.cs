using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Members;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Notes;

/// <summary>
/// The notes a room keeps for its agents: any member adds, changes and removes them; every agent in the
/// room is given them (<see cref="RoomNotes"/>). In the room's details the list loads into a fold and its
/// forms answer there; without JavaScript this is a page of its own.
/// </summary>
public class IndexModel(AppDbContext db, RoomNotes notes) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Room Room { get; private set; } = null!;
    public IReadOnlyList<RoomNote> Notes { get; private set; } = [];

    /// <summary>Who wrote each note (by its id), a person's name or an agent's.</summary>
    public IReadOnlyDictionary<long, string> Authors { get; private set; } = new Dictionary<long, string>();
    public string? Error { get; private set; }
    public string Draft { get; private set; } = "";

    /// <summary>The note whose text was refused, to show the error beside it (0: the new one).</summary>
    public long? ErrorFor { get; private set; }

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task<IActionResult> OnGetAsync() => await Load() ?? Page();

    public async Task<IActionResult> OnPostAddAsync(string? text)
    {
        if (await Load() is { } refused)
            return refused;
        if (await notes.Add(Id, text, UserId, null) is { } problem)
            return Invalid(0, text?.Trim() ?? "", problem);
        return await Done();
    }

    public async Task<IActionResult> OnPostEditAsync(long noteId, string? text)
    {
        if (await Load() is { } refused)
            return refused;
        if (Notes.All(n => n.Id != noteId))
            return NotFound();
        if (Refused(text, noteId) is { } invalid)
            return invalid;
        await db.RoomNotes.Where(n => n.Id == noteId && n.RoomId == Id).ExecuteUpdateAsync(n => n
            .SetProperty(x => x.Text, text!.Trim()).SetProperty(x => x.WrittenById, UserId).SetProperty(x => x.WrittenByAgentId, (int?)null)
            .SetProperty(x => x.UpdatedAt, DateTime.UtcNow));
        return await Done();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long noteId)
    {
        if (await Load() is { } refused)
            return refused;
        if (await db.RoomNotes.Where(n => n.Id == noteId && n.RoomId == Id).ExecuteDeleteAsync() == 0)
            return NotFound();
        return await Done();
    }

    /// <summary>Members only, and only through their room: 404 for anyone else.</summary>
    private async Task<IActionResult?> Load()
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { IsMember: true } access)
            return NotFound();
        Room = access.Room;
        await List();
        return null;
    }

    private async Task List()
    {
        var listed = await db.RoomNotes.Where(n => n.RoomId == Id).OrderBy(n => n.Id)
            .Select(n => new { Note = n, Person = db.Users.Where(u => u.Id == n.WrittenById).Select(u => u.DisplayName).FirstOrDefault(),
                Agent = db.Agents.Where(a => a.Id == n.WrittenByAgentId).Select(a => a.Name).FirstOrDefault() })
            .AsNoTracking().ToListAsync();
        Notes = listed.Select(n => n.Note).ToList();
        Authors = listed.Where(n => (n.Agent ?? n.Person) is not null).ToDictionary(n => n.Note.Id, n => n.Agent is { } agent ? $"{agent} (agent)" : n.Person!);
    }

    private IActionResult? Refused(string? text, long noteId) =>
        RoomNotes.Problem(text?.Trim() ?? "") is { } problem ? Invalid(noteId, text?.Trim() ?? "", problem) : null;

    private IActionResult Invalid(long noteId, string text, string error)
    {
        (ErrorFor, Draft, Error) = (noteId, text, error);
        return this.InvalidForm();
    }

    /// <summary>In the room's fold, the list again; without JavaScript, back to this page.</summary>
    private async Task<IActionResult> Done()
    {
        if (!Request.IsHtmx())
            return Redirect(Paths.RoomNotes(Id));
        await List();
        return Page();
    }
}
