namespace AgentRooms.Web.Pages.Reactions;

public static class ReactionSetup
{
    public static void AddReactions(this WebApplicationBuilder builder) => builder.Services.AddScoped<Reacting>();
}
