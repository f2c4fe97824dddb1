using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Features.Messages;

public static class MessageSetup
{
    public static void AddMessages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<MentionOptions>(builder.Configuration.GetSection("Agents"));
        services.AddSingleton<MarkdownRenderer>();
        services.AddScoped<RoomHistory>();
        services.AddHostedService<StoredHtmlBackfill>();
        services.AddScoped<MessagePosting>();
        services.AddScoped<MessageFeed>();
        services.AddSingleton<IRoomCatchUp, RoomCatchUp>();
        services.AddSingleton<ITypingView, TypingFragment>();
    }
}
