using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Messages;

public static class MessageSetup
{
    public static void AddMessages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<MarkdownRenderer>();
        services.AddScoped<RoomHistory>();
        services.AddHostedService<StoredHtmlBackfill>();
        services.AddSingleton<MessageLog>();
        services.AddScoped<MessagePosting>();
        services.AddScoped<IRoomSend>(sp => sp.GetRequiredService<MessagePosting>());
        services.AddScoped<ComposerPost>();
        services.AddScoped<SystemLines>();
        services.AddScoped<AgentRooms.Web.Pages.Members.IMembershipLines>(sp => sp.GetRequiredService<SystemLines>());
        services.AddScoped<MessageFeed>();
        services.AddSingleton<IRoomCatchUp, RoomCatchUp>();
        services.AddSingleton<ITypingView, TypingFragment>();
    }
}
