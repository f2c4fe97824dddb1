using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Rooms;

public class NewModel(RoomChanges rooms, RequestLimits limits, Site site) : PageModel
{
    [BindProperty]
    public NewRoomInput Input { get; set; } = new();

    /// <summary>The site lets only its administrators create rooms, and this person is not one.</summary>
    public bool Refused { get; private set; }

    public async Task OnGetAsync()
    {
        if (Refused = !await site.MayCreateRooms(User))
            Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Refused = !await site.MayCreateRooms(User))
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        if (!ModelState.IsValid)
            return this.InvalidForm();
        if (!limits.Allow(Limit.NewRoom, User.FindFirstValue(ClaimTypes.NameIdentifier)!))
            return this.TooMany();

        var room = await rooms.Open(Input, User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return Redirect(Paths.Room(room.Id));
    }
}

public class NewRoomInput
{
    [Required(ErrorMessage = "Give the room a name.")]
    [StringLength(Room.NameMaxLength, ErrorMessage = "Room names are at most {1} characters.")]
    [SingleLine]
    public string Name { get; set; } = "";

    [StringLength(Room.DescriptionMaxLength, ErrorMessage = "Descriptions are at most {1} characters.")]
    public string? Description { get; set; }

    [EnumDataType(typeof(RoomVisibility), ErrorMessage = "Choose Public or Private.")]
    public RoomVisibility Visibility { get; set; } = RoomVisibility.Public;
}
