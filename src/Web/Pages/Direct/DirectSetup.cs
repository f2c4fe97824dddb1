namespace AgentRooms.Web.Pages.Direct;

public static class DirectSetup
{
    public static void AddDirect(this WebApplicationBuilder builder) => builder.Services.AddScoped<DirectConversations>();
}
