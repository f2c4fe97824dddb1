using AgentRooms.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Attachments;

public static class AttachmentSetup
{
    public static void AddAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttachmentOptions>().Bind(builder.Configuration.GetSection("Attachments"))
            .Validate(o => o.MaxBytes >= 1 && o.DailyBytesPerPerson >= 1 && o.MaxPerMessage >= 1 && o.MaxImagePixels >= 1 && o.SweepInterval > TimeSpan.Zero,
                "Attachments: MaxBytes, DailyBytesPerPerson, MaxPerMessage, MaxImagePixels and SweepInterval must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<IFileStore>(services =>
        {
            var path = services.GetRequiredService<IOptions<AttachmentOptions>>().Value.Path;
            var folder = DataFolder.Of(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IWebHostEnvironment>());
            return new DiskFileStore(Path.Combine(folder, path)); // a rooted Path stands as it is
        });
        // Decoding holds at most one image of the largest size allowed, turned upright, at a time (or many smaller ones).
        builder.Services.AddSingleton(services => new DecodeBudget(
            services.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxImagePixels * Images.BytesPerPixel * 2));
        builder.Services.AddScoped<Uploads>();
        builder.Services.AddScoped<MessageFiles>();
        builder.Services.AddScoped<FilesForModel>();
        builder.Services.AddHostedService<AttachmentSweeper>();
    }
}
