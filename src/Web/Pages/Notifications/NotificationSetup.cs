namespace AgentRooms.Web.Pages.Notifications;

public static class NotificationSetup
{
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PushOptions>().Bind(builder.Configuration.GetSection("Push"))
            .Validate(o => o.MaxPerPerson >= 1, "Push:MaxPerPerson is at least 1")
            .ValidateOnStart();
        builder.Services.AddSingleton<VapidKeys>();
        // The allow-list is checked on the subscription's address; a redirect would lead past it, so none is followed.
        builder.Services.AddHttpClient(PushNotifier.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<PushNotifier>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PushNotifier>());
        builder.Services.AddSingleton<Messages.IMessagePosted>(services => services.GetRequiredService<PushNotifier>());
    }
}
