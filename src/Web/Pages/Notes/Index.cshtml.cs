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
public class IndexModel(AppDbContext db) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Room Room { get; private set; } = null!;
    public IReadOnlyList<RoomNote> Notes { get; private set; } = [];
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
        if (Refused(text, 0) is { } invalid)
            return invalid;
        if (Notes.Count >= RoomNote.MaxPerRoom)
            return Invalid(0, text!, $"A room keeps at most {RoomNote.MaxPerRoom} notes. Remove one first.");
        db.RoomNotes.Add(new RoomNote { RoomId = Id, Text = text!.Trim(), WrittenById = UserId });
        await db.SaveChangesAsync();
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
            .SetProperty(x => x.Text, text!.Trim()).SetProperty(x => x.WrittenById, UserId).SetProperty(x => x.UpdatedAt, DateTime.UtcNow));
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
        Notes = await db.RoomNotes.Where(n => n.RoomId == Id).OrderBy(n => n.Id).AsNoTracking().ToListAsync();
        return null;
    }

    private IActionResult? Refused(string? text, long noteId)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length == 0 ? Invalid(noteId, trimmed, "Write the note first.")
            : trimmed.Length > RoomNote.TextMaxLength ? Invalid(noteId, trimmed, $"A note is at most {RoomNote.TextMaxLength} characters.")
            : null;
    }

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
        Notes = await db.RoomNotes.Where(n => n.RoomId == Id).OrderBy(n => n.Id).AsNoTracking().ToListAsync();
        return Page();
    }
}
