using System.ComponentModel.DataAnnotations;
using AgentRooms.Data.Admin;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Admin;

/// <summary><c>/admin/settings</c>: the site's name, who may register and who may create rooms.</summary>
public class SettingsModel(Administration administration, Site site) : PageModel
{
    [BindProperty] public SiteInput Input { get; set; } = new();

    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await administration.Admin(User) is null)
            return NotFound();
        var settings = await site.Settings();
        Input = new SiteInput { Name = settings.Name, Registration = settings.Registration, RoomCreation = settings.RoomCreation };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await administration.Admin(User) is not { } admin)
            return NotFound();
        if (!ModelState.IsValid)
            return this.InvalidForm();
        await administration.SaveSettings(admin, new SiteSettings { Name = Input.Name.Trim(), Registration = Input.Registration, RoomCreation = Input.RoomCreation });
        Notice = "Saved.";
        return Redirect(Paths.AdminSettings);
    }
}

public class SiteInput
{
    [Required(ErrorMessage = "Give the site a name.")]
    [StringLength(SiteSettings.NameMaxLength, ErrorMessage = "The name is at most {1} characters.")]
    [SingleLine]
    public string Name { get; set; } = SiteSettings.DefaultName;

    [EnumDataType(typeof(Registration), ErrorMessage = "Choose who may register.")]
    public Registration Registration { get; set; }

    [EnumDataType(typeof(RoomCreation), ErrorMessage = "Choose who may create rooms.")]
    public RoomCreation RoomCreation { get; set; }
}
