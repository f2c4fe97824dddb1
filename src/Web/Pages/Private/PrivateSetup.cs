namespace AgentRooms.Web.Pages.Private;

public static class PrivateSetup
{
    /// <summary>"Ask privately": questions to a room's agent answered to the asker alone, and shared when they choose.</summary>
    public static void AddPrivateAnswers(this WebApplicationBuilder builder) => builder.Services.AddScoped<PrivateAsking>();
}
