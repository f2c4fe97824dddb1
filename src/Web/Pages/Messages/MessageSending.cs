using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>What became of a send: the saved message, or why it was not saved (with the HTTP status that says so).</summary>
public sealed record SendResult(Message? Message, string? Error, int Status)
{
    public static SendResult Refused(string error, int status) => new(null, error, status);
}

/// <summary>
/// A person's send, however it arrives (the composer's form post, or the room's socket): the same
/// checks, the same limits, the same words when it is refused.
/// </summary>
public sealed class MessageSending(AppDbContext db, MessagePosting posting, MessageFiles files, RequestLimits limits)
{
    /// <param name="fileKeys">Files the sender uploaded to this room for this message; with them, the text may be empty.</param>
    public async Task<SendResult> Send(int roomId, string userId, string? text, Guid clientMessageId, long? quotedMessageId = null,
        IReadOnlyCollection<Guid>? fileKeys = null, CancellationToken cancel = default)
    {
        var keys = fileKeys?.Distinct().ToList() ?? [];
        // The sender's name if they are a member (a member's room is always theirs to see): the room's copy is rendered with it.
        if (await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId)
                .Select(m => new { m.User!.DisplayName, m.Room!.Kind }).FirstOrDefaultAsync(cancel) is not { } sender)
            return SendResult.Refused("You are not a member of this room.", StatusCodes.Status404NotFound);
        var authorName = sender.DisplayName;
        var content = text?.Trim() ?? "";
        var error = content.Length switch
        {
            0 when keys.Count == 0 => "Write something first.",
            _ when keys.Count > files.MaxPerMessage => $"A message can carry at most {files.MaxPerMessage} files (this one has {keys.Count}).",
            > Message.ContentMaxLength => $"Messages are at most {Message.ContentMaxLength} characters (this one has {content.Length}).",
            _ => clientMessageId == Guid.Empty ? "Reload the page and send again." : null,
        };
        if (error is not null)
            return SendResult.Refused(error, StatusCodes.Status422UnprocessableEntity);
        if (!limits.Allow(Limit.Post, userId))
            return SendResult.Refused("You're sending a lot in a short time. Wait a little, then send this again.", StatusCodes.Status429TooManyRequests);
        try
        {
            return new SendResult(await posting.Post(roomId, userId, content, clientMessageId, authorName, quotedMessageId,
                direct: sender.Kind == AgentRooms.Data.Rooms.RoomKind.Direct, keys, cancel), null, StatusCodes.Status200OK);
        }
        catch (MentionLimitReached limit)
        {
            return SendResult.Refused(limit.RoomWide
                ? "The agents in this room have been asked a lot in the last minute. Wait a moment, then send this again."
                : "You've asked agents a lot in the last minute. Wait a moment, then send this again.", StatusCodes.Status429TooManyRequests);
        }
        catch (FilesNotAttached)
        {
            return SendResult.Refused("A file of this message is no longer there (removed, or sent already). Attach it again.", StatusCodes.Status409Conflict);
        }
        catch (MessageNotSaved)
        {
            return SendResult.Refused("Your message could not be saved. It is still here; try sending it again.", StatusCodes.Status503ServiceUnavailable);
        }
    }
}

/// <summary>Sends that arrive over a room's socket, each in a scope of its own (the socket lives for hours).</summary>
public sealed class SocketSends(IServiceScopeFactory scopes) : IRoomSend
{
    public async Task<string?> Send(int roomId, string userId, string content, Guid clientMessageId, long? quotedMessageId,
        IReadOnlyCollection<Guid> files, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MessageSending>()
            .Send(roomId, userId, content, clientMessageId, quotedMessageId, files, cancel);
        return result.Error;
    }
}
