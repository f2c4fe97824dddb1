using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Realtime;

/// <summary><c>/rooms/{id}/live</c>: the WebSocket of an open room page.</summary>
public static class RoomSocketEndpoint
{
    public static void MapRoomSockets(this WebApplication app) =>
        app.Map("/rooms/{id:int}/live", Connect).AllowAnonymous();

    private static async Task Connect(HttpContext context, int id, IServiceScopeFactory scopes, ConnectionRegistry registry,
        IRoomCatchUp catchUp, IRoomSend sends, Typing typing, IPresence presence, ILoggerFactory loggers, IOptions<AppOptions> app)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        // Refused before the upgrade: another site's page, or no page at all, cannot ride the cookie.
        if (!OriginIsOurs(context, app.Value))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new RoomConnection(socket, id, userId, context.User.DisplayNameOf(), catchUp, loggers.CreateLogger<RoomConnection>())
        {
            Typing = c => typing.Started(c.RoomId, c.UserId, c.UserName),
            Sending = (c, content, clientMessageId) => sends.Send(c.RoomId, c.UserId, content, clientMessageId, context.RequestAborted),
        };
        // Registered before membership is checked, so a removal from now on finds this socket. One that
        // fails the check is closed before it starts sending: nothing about the room reaches it.
        var arrived = registry.Add(connection);
        var log = loggers.CreateLogger(typeof(RoomSocketEndpoint).FullName!);
        log.LogDebug("Room {RoomId}: socket opened for {UserId} ({UserName})", id, userId, connection.UserName);
        var isMember = false;
        try
        {
            isMember = await IsMember(scopes, id, userId, context.RequestAborted);
            if (!isMember)
                connection.Close(RoomSocketClose.PolicyViolation, "not a member"); // 1008 tells htmx not to retry
            else if (arrived)
                presence.Changed(id, userId);
            await connection.Run(context.RequestAborted);
        }
        finally
        {
            log.LogDebug("Room {RoomId}: socket closed for {UserId} ({UserName})", id, userId, connection.UserName);
            if (registry.Remove(connection) && isMember)
            {
                await typing.Stopped(id, userId);
                presence.Changed(id, userId);
            }
        }
    }

    /// <summary>A scope of its own: the socket outlives the check by hours and must not hold a database context.</summary>
    private static async Task<bool> IsMember(IServiceScopeFactory scopes, int roomId, string userId, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>()
            .RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, cancel);
    }

    private static bool OriginIsOurs(HttpContext context, AppOptions app)
    {
        var origin = context.Request.Headers.Origin.ToString();
        return !string.IsNullOrEmpty(origin) && origin != "null" && app.IsOwnOrigin(origin, context.Request);
    }
}
