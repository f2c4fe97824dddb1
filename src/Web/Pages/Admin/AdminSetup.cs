namespace AgentRooms.Web.Pages.Admin;

public static class AdminSetup
{
    /// <summary>The site administrators' pages (<c>/admin</c>) and what they do.</summary>
    public static void AddAdministration(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Administration>();
        builder.Services.AddScoped<BanCleanup>();
        builder.Services.AddScoped<BanCleanupJob>();
    }
}
