using AgentRooms.Web.Infrastructure;

namespace AgentRooms.Web.Pages.Knowledge;

public static class KnowledgeSetup
{
    /// <summary>What agents may know of their rooms: search over the history and the shared files' text, read in the background.</summary>
    public static void AddKnowledge(this WebApplicationBuilder builder)
    {
        builder.Read<KnowledgeOptions>("Knowledge", o => o.ReadInterval > TimeSpan.Zero, "Knowledge:ReadInterval is a positive time (hh:mm:ss)");
        builder.Services.AddScoped<FileText>();
        builder.Services.AddScoped<RoomSearch>();
        builder.Services.AddScoped<RoomKnowledge>();
        builder.Services.AddHostedService<FileReader>();
    }
}
