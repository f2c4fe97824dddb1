namespace AgentRooms.Web.Pages.Notes;

public static class NotesSetup
{
    /// <summary>The notes a room keeps for its agents, written by its members and by agents that may keep notes.</summary>
    public static void AddNotes(this WebApplicationBuilder builder) => builder.Services.AddScoped<RoomNotes>();
}
