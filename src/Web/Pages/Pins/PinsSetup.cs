namespace AgentRooms.Web.Pages.Pins;

public static class PinsSetup
{
    /// <summary>Messages a room's owners and admins pin: listed in its details, given to its agents.</summary>
    public static void AddPins(this WebApplicationBuilder builder) => builder.Services.AddScoped<RoomPins>();
}
