using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Messages;

public static class MessageSetup
{
    public static void AddMessages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MentionOptions>().Bind(builder.Configuration.GetSection("Agents"))
            .Validate(o => o.MaxDepth >= 0 && o.MentionsPerMinute >= 1 && o.RoomRepliesPerMinute >= 1,
                "Agents:MaxDepth is 0 or more, Agents:MentionsPerMinute and Agents:RoomRepliesPerMinute at least 1")
            .ValidateOnStart();
        services.AddSingleton<MarkdownRenderer>();
        services.AddScoped<RoomHistory>();
        services.AddHostedService<StoredHtmlBackfill>();
        services.AddSingleton<GroupCommit>();
        services.AddScoped<MessagePosting>();
        services.AddScoped<MessageSending>();
        services.AddScoped<ComposerPost>();
        services.AddScoped<AgentRooms.Web.Pages.Members.IMembershipLines, SystemLines>();
        services.AddSingleton<IRoomSend, SocketSends>();
        services.AddScoped<MessageFeed>();
        services.AddSingleton<IRoomCatchUp, RoomCatchUp>();
        services.AddSingleton<ITypingView, TypingFragment>();
    }
}
