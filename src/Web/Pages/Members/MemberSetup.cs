using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Members;

public static class MemberSetup
{
    public static void AddMembers(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<Membership>();
        services.AddScoped<MemberFeed>();
        services.AddSingleton<RoomReading>();
        services.AddSingleton<IPersonRooms>(sp => sp.GetRequiredService<RoomReading>());
        services.AddSingleton<IRoomRead>(sp => sp.GetRequiredService<RoomReading>());
        services.AddScoped<IPresenceFeed>(sp => sp.GetRequiredService<MemberFeed>());
        services.AddScoped<AgentRooms.Web.Pages.Accounts.IProfileChanges>(sp => sp.GetRequiredService<MemberFeed>());
    }
}
