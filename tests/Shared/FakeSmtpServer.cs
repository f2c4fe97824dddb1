using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace AgentRooms.Tests.Shared;

/// <summary>A real SMTP server on loopback (the SmtpServer library) that keeps every message it is sent, parsed (MimeKit).</summary>
public sealed class FakeSmtpServer : IAsyncLifetime
{
    private readonly CancellationTokenSource stop = new();
    private Task? running;

    public int Port { get; } = AppProcess.FreePort();
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>
    /// The settings that point the app at this server (<c>Email:*</c>, in configuration form), and the
    /// hosts the app answers to, which links in email need when <c>App:PublicUrl</c> is not set.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Email:Host"] = "127.0.0.1", ["Email:Port"] = Port.ToString(), ["Email:Security"] = "None", ["Email:From"] = "AgentRooms <chat@agentrooms.test>",
        ["AllowedHosts"] = "localhost;127.0.0.1",
    };

    public Task InitializeAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages));
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        stop.Cancel();
        if (running is not null)
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>
    /// The newest message to <paramref name="address"/> with a subject starting <paramref name="subject"/>, waiting for it
    /// to arrive. The subject is required: an account's earlier mail (its confirmation) is already here when a later one
    /// is being sent, so "the newest to this address" would be whichever came first.
    /// </summary>
    public async Task<MimeMessage> To(string address, string subject, TimeSpan? wait = null)
    {
        MimeMessage? Found() => Messages.LastOrDefault(m => m.To.Mailboxes.Any(to => to.Address.Equals(address, StringComparison.OrdinalIgnoreCase))
                                                           && (m.Subject ?? "").StartsWith(subject, StringComparison.Ordinal));
        await AgentRooms.Tests.Support.Eventually.True(() => Found() is not null, wait, $"an email \"{subject}…\" to {address}");
        return Found()!;
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
