using System.Security.Claims;
using AgentRooms.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// <c>/rooms/{id}/live</c>: the WebSocket of an open room page. <c>/live</c>: that of any other page
/// of a signed-in person, which only hears that their rooms list changed. Both keep the person's
/// rooms list up to date.
/// </summary>
public static class RoomSocketEndpoint
{
    public static void MapRoomSockets(this WebApplication app)
    {
        app.Map("/rooms/{id:int}/live", (HttpContext context, int id) => Connect(context, id)).AllowAnonymous();
        app.Map("/live", (HttpContext context) => Connect(context, 0)).AllowAnonymous();
    }

    private static async Task Connect(HttpContext context, int id)
    {
        var services = context.RequestServices;
        var app = services.GetRequiredService<IOptions<AppOptions>>();
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

        var (registry, personRooms, typing, presence, loggers) = (services.GetRequiredService<ConnectionRegistry>(),
            services.GetRequiredService<IPersonRooms>(), services.GetRequiredService<Typing>(), services.GetRequiredService<IPresence>(),
            services.GetRequiredService<ILoggerFactory>());
        var (catchUp, scopes, reads) = (services.GetRequiredService<IRoomCatchUp>(), services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<IRoomRead>());

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var inRoom = id > 0;
        var connection = new RoomConnection(socket, id, userId, context.User.DisplayNameOf(), catchUp, loggers.CreateLogger<RoomConnection>())
        {
            Typing = inRoom ? c => typing.Started(c.RoomId, c.UserId, c.UserName) : null,
            // Each send in a scope of its own: the socket lives for hours.
            Sending = inRoom ? async (c, content, clientMessageId, quote, files) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<IRoomSend>()
                    .Send(c.RoomId, c.UserId, content, clientMessageId, quote, files, context.RequestAborted);
            } : null,
            Reading = inRoom ? (c, seq) => reads.Read(c.RoomId, c.UserId, seq, context.RequestAborted) : null,
            FramesPerSecond = services.GetRequiredService<IOptions<RealtimeOptions>>().Value.FramesPerSecond,
            Metrics = services.GetRequiredService<AppMetrics>(),
            Now = inRoom ? services.GetServices<IRoomNow>().ToList() : [],
        };
        // Registered before membership is checked, so a removal from now on finds this socket. One that
        // fails the check is closed before it starts sending: nothing about the room reaches it.
        var arrived = registry.Add(connection);
        var log = loggers.CreateLogger(typeof(RoomSocketEndpoint).FullName!);
        log.LogDebug("Room {RoomId}: socket opened for {UserId} ({UserName})", id, userId, connection.UserName);
        var isMember = false;
        try
        {
            var rooms = await personRooms.RoomsOf(userId, context.RequestAborted);
            isMember = inRoom && rooms.Contains(id);
            if (inRoom && !isMember)
                connection.Close(RoomSocketClose.PolicyViolation, "not a member"); // 1008 tells htmx not to retry
            else
                registry.Watch(connection, rooms);
            if (isMember && arrived)
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

    private static bool OriginIsOurs(HttpContext context, AppOptions app)
    {
        var origin = context.Request.Headers.Origin.ToString();
        return !string.IsNullOrEmpty(origin) && origin != "null" && app.IsOwnOrigin(origin, context.Request);
    }
}
