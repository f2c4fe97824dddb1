using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Notifications;

/// <summary>What a notification says; the service worker shows it.</summary>
public sealed record PushPayload(string Title, string Body, string Url, string Tag, long Unread);

/// <summary>
/// Tells people who are away about messages for them, through Web Push. Away: no page of theirs has
/// the room open (as Campfire does). For them: what their level for the room asks for (everything,
/// nothing, or by default mentions of them, replies to them, answers of agents they asked, and every
/// message of a direct conversation). One notification per room at a time (its tag and topic), saying
/// how much is unread. Runs beside the posting, never holding it up; a subscription the push service
/// says is gone (404, 410) is removed.
/// </summary>
public sealed class PushNotifier(
    IServiceScopeFactory scopes, IPresence presence, VapidKeys vapid, IHttpClientFactory clients, IOptions<PushOptions> options,
    IOptions<AppOptions> app, ILogger<PushNotifier> logger) : BackgroundService, IMessagePosted
{
    public const string HttpClientName = "push";

    /// <summary>How long "nobody in this room has a browser subscribed" is believed without asking again.</summary>
    private static readonly TimeSpan Believed = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Rooms where nobody has a subscription, and since when that is known: most rooms, most of the
    /// time, so most messages cost no query at all. A subscription made on this node clears it; one made
    /// on another node is seen within <see cref="Believed"/>.
    /// </summary>
    private readonly ConcurrentDictionary<int, DateTime> nobodySubscribed = new();

    /// <summary>Someone subscribed: every room is asked again.</summary>
    public void SubscriptionsChanged() => nobodySubscribed.Clear();

    private readonly Channel<(long MessageId, int RoomId)> posted =
        Channel.CreateBounded<(long, int)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Posted(Message message)
    {
        if (message.Kind != MessageKind.System)
            posted.Writer.TryWrite((message.Id, message.RoomId));
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var (messageId, roomId) in posted.Reader.ReadAllAsync(stopping))
            {
                try
                {
                    await Notify(messageId, roomId, stopping);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Notifications for message {MessageId} were not sent", messageId);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public async Task Notify(long messageId, int roomId, CancellationToken cancel)
    {
        if (nobodySubscribed.TryGetValue(roomId, out var since) && DateTime.UtcNow - since < Believed)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!await db.PushSubscriptions.AnyAsync(s => db.RoomMembers.Any(m => m.RoomId == roomId && m.UserId == s.UserId), cancel))
        {
            nobodySubscribed[roomId] = DateTime.UtcNow;
            return;
        }
        nobodySubscribed.TryRemove(roomId, out _);
        var message = await db.Messages.Where(m => m.Id == messageId && m.DeletedAt == null).Select(m => new
        {
            m.SenderUserId, m.Content, m.Kind,
            Author = m.SenderUser != null ? m.SenderUser.DisplayName : m.SenderAgent != null ? m.SenderAgent.Name : "AgentRooms",
            Room = m.Room!.Name, Direct = m.Room.Kind == RoomKind.Direct,
            Files = db.Attachments.Count(a => a.MessageId == m.Id),
            AskedBy = m.Kind == MessageKind.Agent ? db.AgentReplies.Where(r => r.ReplyMessageId == m.Id).Select(r => r.StartedById).FirstOrDefault() : null,
        }).AsNoTracking().FirstOrDefaultAsync(cancel);
        if (message is null)
            return;
        var wanting = await db.RoomMembers
            .Where(m => m.RoomId == roomId && m.UserId != message.SenderUserId && m.Notify != NotifyLevel.Nothing && m.User!.DeactivatedAt == null
                && db.PushSubscriptions.Any(s => s.UserId == m.UserId)
                && (m.Notify == NotifyLevel.All || message.Direct || m.UserId == message.AskedBy
                    || db.PersonMentions.Any(p => p.MessageId == messageId && p.UserId == m.UserId)))
            .Select(m => new { m.UserId, Unread = m.Room!.LastSeq - m.LastReadSeq }).AsNoTracking().ToListAsync(cancel);
        if (wanting.Count == 0)
            return;
        var here = await presence.UsersIn(roomId, cancel);
        var away = wanting.Where(w => !here.Contains(w.UserId)).ToDictionary(w => w.UserId, w => w.Unread);
        if (away.Count == 0)
            return;
        var subscriptions = await db.PushSubscriptions.Where(s => away.Keys.Contains(s.UserId)).AsNoTracking().ToListAsync(cancel);

        var title = message.Direct ? message.Author : $"{message.Author} in {message.Room}";
        var text = message.Content.Length > 0 ? QuoteShown.ExcerptOf(message.Content)
            : message.Files == 1 ? "Sent a file" : $"Sent {message.Files} files";
        var (publicKey, privateKey) = await vapid.Get(cancel);
        var authentication = new VapidAuthentication(publicKey, privateKey) { Subject = Subject() };
        var client = new PushServiceClient(clients.CreateClient(HttpClientName));
        foreach (var subscription in subscriptions)
        {
            var unread = Math.Max(1, away[subscription.UserId]);
            var payload = new PushPayload(title, unread > 1 ? $"{text}\n{unread} unread" : text, Paths.MessageInRoom(roomId, messageId), $"room-{roomId}", unread);
            var push = new PushMessage(JsonSerializer.Serialize(payload, JsonSerializerOptions.Web))
            {
                Topic = $"room-{roomId}", Urgency = PushMessageUrgency.Normal, TimeToLive = (int)TimeSpan.FromDays(1).TotalSeconds,
            };
            var target = new Lib.Net.Http.WebPush.PushSubscription { Endpoint = subscription.Endpoint };
            target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
            target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
            try
            {
                await client.RequestPushMessageDeliveryAsync(target, push, authentication, cancel);
            }
            catch (PushServiceClientException refused) when (refused.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // The browser unsubscribed, or the push service expired it: nobody is there any more.
                await db.PushSubscriptions.Where(s => s.Id == subscription.Id).ExecuteDeleteAsync(cancel);
            }
            catch (Exception exception) when (!cancel.IsCancellationRequested)
            {
                // Whatever went wrong with this one (a refusal, a network fault, a key that cannot be encrypted to), the others still go.
                logger.LogWarning(exception, "A push to subscription {SubscriptionId} failed", subscription.Id);
            }
        }
    }

    private string Subject() =>
        options.Value.Subject is { Length: > 0 } subject ? subject
        : app.Value.PublicUrl is { Length: > 0 } url ? url
        : "mailto:admin@agentrooms.invalid";
}
