// B0: the physical limit here. A minimal Kestrel WebSocket server that fans one fragment out to
// every socket of a room: no database, no auth, one send loop per socket like the app.
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.UseWebSockets();

var rooms = new ConcurrentDictionary<int, ConcurrentDictionary<Channel<byte[]>, byte>>();
var seqs = new ConcurrentDictionary<int, long>();

app.Map("/rooms/{id:int}/live", async (HttpContext context, int id) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
        return;
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var outbox = Channel.CreateBounded<byte[]>(512);
    var members = rooms.GetOrAdd(id, _ => new());
    members[outbox] = 0;
    var receiving = Task.Run(async () =>
    {
        // Zero-byte reads: an idle socket holds no receive buffer (as in the app); B0 ignores what clients send.
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(Memory<byte>.Empty, context.RequestAborted)).MessageType == WebSocketMessageType.Close)
                    break;
                if ((await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted)).MessageType == WebSocketMessageType.Close)
                    break;
            }
        }
        catch (Exception) { }
        outbox.Writer.TryComplete();
    });
    try
    {
        await foreach (var fragment in outbox.Reader.ReadAllAsync(context.RequestAborted))
            await socket.SendAsync(fragment, WebSocketMessageType.Text, true, context.RequestAborted);
    }
    catch (Exception) { }
    members.TryRemove(outbox, out _);
    await receiving;
});

app.MapPost("/rooms/{id:int}/post", async (HttpContext context, int id) =>
{
    var form = await context.Request.ReadFormAsync();
    var seq = seqs.AddOrUpdate(id, 1, (_, s) => s + 1);
    var fragment = Encoding.UTF8.GetBytes(Fragment.For(id, seq, form["content"].ToString()));
    if (rooms.TryGetValue(id, out var members))
        foreach (var outbox in members.Keys)
            outbox.Writer.TryWrite(fragment);
    return Results.Ok();
});

app.Run();

/// <summary>The app's message fragment, same shape and size.</summary>
static class Fragment
{
    public static string For(int room, long seq, string content) =>
        $"<div id=\"messages\" hx-swap-oob=\"beforeend\"><article id=\"message-{seq}\" class=\"message message-user\" data-seq=\"{seq}\" " +
        $"data-author=\"00000000-0000-0000-0000-000000000000\" aria-labelledby=\"message-{seq}-author\"><header class=\"message-meta\">" +
        $"<span class=\"message-author\" id=\"message-{seq}-author\">Bench</span><time datetime=\"{DateTime.UtcNow:O}\">{DateTime.UtcNow:HH:mm} UTC</time>" +
        $"<a class=\"message-actions\" href=\"/rooms/{room}/messages/{seq}\" aria-label=\"Edit or delete this message\" title=\"Edit or delete\">⋯</a></header>" +
        $"<div class=\"message-body\" hx-disable><p>{System.Net.WebUtility.HtmlEncode(content)}</p></div></article></div>";
}
