namespace AgentRooms.Web.Pages.Export;

public static class ExportSetup
{
    /// <summary>A room taken out as a zip by its owner.</summary>
    public static void AddExport(this WebApplicationBuilder builder) => builder.Services.AddScoped<RoomExport>();
}
