using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// The <c>Email</c> settings: an SMTP server to send from. <c>Email:Host</c> unset: the site sends no
/// email (password resets are then links an administrator makes). The user name and password belong
/// in the environment (<c>Email__UserName</c>, <c>Email__Password</c>).
/// </summary>
public sealed class EmailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>The sender, e.g. <c>AgentRooms &lt;chat@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary><c>Auto</c> (STARTTLS when the server offers it), <c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Sends plain-text email through the configured SMTP server (MailKit).</summary>
public sealed class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger)
{
    public bool IsConfigured => options.Value.IsConfigured;

    public async Task Send(string to, string subject, string text, CancellationToken cancel = default)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From ?? $"AgentRooms <no-reply@{settings.Host}>"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancel);
        if (!string.IsNullOrEmpty(settings.UserName))
            await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancel);
        await smtp.SendAsync(message, cancel);
        await smtp.DisconnectAsync(quit: true, cancel);
        logger.LogInformation("Sent \"{Subject}\" to {Recipient}", subject, to);
    }

    /// <summary>
    /// Sends in the background: the page that asked answers at once, and alike whether or not a message
    /// goes out (which tells nobody whether an address has an account). A failure is logged.
    /// </summary>
    public void SendLater(string to, string subject, string text) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await Send(to, subject, text);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                logger.LogError(exception, "\"{Subject}\" could not be sent", subject);
            }
        });

    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection("Email"))
            .Validate(o => !o.IsConfigured || o.Port is > 0 and < 65536, "Email:Port is a port number (587 for STARTTLS, 465 for TLS)")
            .Validate(o => !o.IsConfigured || o.From is null || MailboxAddress.TryParse(o.From, out _), "Email:From is an address, e.g. AgentRooms <chat@example.com>")
            // Links in email must not follow the Host header of whoever asked for them.
            .Validate(o => !o.IsConfigured || AppOptions.LinksAreTrusted(builder.Configuration),
                "Email:Host needs App:PublicUrl (the address people use, e.g. https://chat.example.com), or AllowedHosts naming the hosts the site answers to, so the links it emails cannot be pointed elsewhere")
            .ValidateOnStart();
        builder.Services.AddSingleton<EmailSender>();
    }
}
