namespace AgentRooms.Web.Pages.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Incoming webhooks: other tools post into a room.</summary>
    public static void AddWebhooks(this WebApplicationBuilder builder) => builder.Services.AddScoped<RoomWebhooks>();
}
