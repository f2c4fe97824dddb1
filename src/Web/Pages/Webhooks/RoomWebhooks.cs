using System.Security.Cryptography;
using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Webhooks;

public sealed record WebhookRow(int Id, string Name, string? CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>What a post to a webhook came to: the status to answer and what to say.</summary>
public sealed record HookResult(int Status, string Text);

/// <summary>
/// A room's incoming webhooks. Each posts as an integration of its own (a member of the room that nobody
/// signs in as, named as the webhook), through the same posting as everyone: its mentions set off agents,
/// its limits are a member's, and an archived room refuses it. The address carries a secret of 256 bits
/// of which only the hash is kept; it is shown once, at creation.
/// </summary>
public sealed class RoomWebhooks(AppDbContext db, MessagePosting posting, RequestLimits limits)
{
    public const int MostPerRoom = 20;

    public async Task<IReadOnlyList<WebhookRow>> Of(int roomId) =>
        await db.Webhooks.Where(w => w.RoomId == roomId && w.RevokedAt == null).OrderBy(w => w.Id)
            .Select(w => new WebhookRow(w.Id, w.Name, db.Users.Where(u => u.Id == w.CreatedById).Select(u => u.DisplayName).FirstOrDefault(), w.CreatedAt, w.LastUsedAt))
            .AsNoTracking().ToListAsync();

    /// <summary>A new webhook named <paramref name="name"/>: its secret token (to show once), or why not.</summary>
    public async Task<(string? Token, string? Problem)> Create(int roomId, string creatorId, string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
            return (null, "Name the webhook: its messages go by this name.");
        if (trimmed.Length > User.DisplayNameMaxLength)
            return (null, $"A name is at most {User.DisplayNameMaxLength} characters.");
        if (await db.Webhooks.CountAsync(w => w.RoomId == roomId && w.RevokedAt == null) >= MostPerRoom)
            return (null, $"A room has at most {MostPerRoom} webhooks. Revoke one first.");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var id = Guid.NewGuid().ToString();
        var integration = new User
        {
            Id = id, UserName = $"integration-{id}", NormalizedUserName = $"INTEGRATION-{id}".ToUpperInvariant(), DisplayName = trimmed,
            IsIntegration = true, SecurityStamp = Guid.NewGuid().ToString(),
        };
        db.Users.Add(integration);
        db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = id, Role = RoomRole.Member });
        db.Webhooks.Add(new Webhook { RoomId = roomId, Name = trimmed, IntegrationUserId = id, TokenHash = Hash(token), CreatedById = creatorId });
        await db.SaveChangesAsync();
        return (token, null);
    }

    /// <summary>Revoked: its address stops working at once, and its integration leaves the room (what it posted stays).</summary>
    public async Task<bool> Revoke(int roomId, int webhookId)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == webhookId && w.RoomId == roomId && w.RevokedAt == null);
        if (webhook is null)
            return false;
        webhook.RevokedAt = DateTime.UtcNow;
        await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == webhook.IntegrationUserId).ExecuteDeleteAsync();
        await db.SaveChangesAsync();
        return true;
    }

    /// <summary>A post to <c>/hooks/{token}</c>: its text goes into the room as the webhook's message.</summary>
    public async Task<HookResult> Post(string token, string? text, CancellationToken cancel)
    {
        var hash = Hash(token);
        var webhook = await db.Webhooks.Where(w => w.TokenHash == hash && w.RevokedAt == null)
            .Select(w => new { w.Id, w.RoomId, w.IntegrationUserId, Archived = db.Rooms.Any(r => r.Id == w.RoomId && r.ArchivedAt != null) })
            .FirstOrDefaultAsync(cancel);
        if (webhook is null)
            return new(StatusCodes.Status404NotFound, "no_such_webhook");
        var content = text?.Trim() ?? "";
        if (content.Length == 0)
            return new(StatusCodes.Status400BadRequest, "no_text");
        if (content.Length > Message.ContentMaxLength)
            return new(StatusCodes.Status400BadRequest, $"text_too_long: at most {Message.ContentMaxLength} characters");
        if (webhook.Archived)
            return new(StatusCodes.Status409Conflict, "room_archived");
        if (!limits.Allow(Limit.Post, webhook.IntegrationUserId))
            return new(StatusCodes.Status429TooManyRequests, "rate_limited");
        try
        {
            // No author name: the message is read back to be shown, with its mark as an integration's.
            await posting.Post(webhook.RoomId, webhook.IntegrationUserId, content, Guid.NewGuid(), cancel: cancel);
        }
        catch (MentionLimitReached)
        {
            return new(StatusCodes.Status429TooManyRequests, "rate_limited");
        }
        catch (MessageNotSaved)
        {
            return new(StatusCodes.Status503ServiceUnavailable, "try_again");
        }
        await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(w => w.SetProperty(x => x.LastUsedAt, DateTime.UtcNow), CancellationToken.None);
        return new(StatusCodes.Status200OK, "ok");
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
