using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

using AgentRooms.Tests.Shared;

namespace AgentRooms.Tests.Support;

/// <summary>A room page's WebSocket, as the browser opens it (cookie and Origin), through the test server.</summary>
public sealed partial class LiveSocket(WebSocket socket) : IAsyncDisposable
{
    /// <summary>A push that appends a new message to the log (not a line such as "Bob joined").</summary>
    public static bool IsAppend(string fragment) => IsAnyAppend(fragment) && !fragment.Contains("class=\"system-line\"");

    /// <summary>A push that appends a line about the room ("Bob joined").</summary>
    public static bool IsLineAppend(string fragment) => IsAnyAppend(fragment) && fragment.Contains("class=\"system-line\"");

    private static bool IsAnyAppend(string fragment) => fragment.StartsWith("<div hx-swap-oob=\"beforebegin:#replies\">");

    public static long SeqOf(string fragment) => long.Parse(SeqAttribute().Match(fragment).Groups[1].Value);

    [GeneratedRegex("data-seq=\"(\\d+)\"")]
    private static partial Regex SeqAttribute();

    public WebSocket Socket => socket;

    /// <summary>A note that the rooms list changed (see RoomsNote).</summary>
    public static bool IsRoomsNote(string fragment) => fragment.StartsWith("{\"type\":\"rooms\"");

    public static bool IsRoomsNote(string fragment, int roomId, string why) =>
        fragment == $"{{\"type\":\"rooms\",\"room\":{roomId},\"why\":\"{why}\"}}";

    /// <summary>The socket of a signed-in page that shows no room (<c>/live</c>).</summary>
    public static Task<LiveSocket> OpenElsewhere(AppFactory app, Visitor? visitor, string? origin = "http://localhost") =>
        Open(app, visitor, "ws://localhost/live", origin);

    public static Task<LiveSocket> Open(AppFactory app, Visitor? visitor, int roomId, string? origin = "http://localhost") =>
        Open(app, visitor, $"ws://localhost/rooms/{roomId}/live", origin);

    /// <summary>The socket of a page elsewhere (<c>/live</c>) sent with exactly this Cookie header (a copied cookie).</summary>
    public static Task<LiveSocket> OpenWithCookie(AppFactory app, string cookie) =>
        Open(app, cookie, "ws://localhost/live", "http://localhost");

    /// <summary>A room page's socket sent with exactly this Cookie header (a copied cookie).</summary>
    public static Task<LiveSocket> OpenWithCookie(AppFactory app, string cookie, int roomId) =>
        Open(app, cookie, $"ws://localhost/rooms/{roomId}/live", "http://localhost");

    private static Task<LiveSocket> Open(AppFactory app, Visitor? visitor, string url, string? origin) =>
        Open(app, visitor?.CookieHeader, url, origin);

    private static async Task<LiveSocket> Open(AppFactory app, string? cookie, string url, string? origin)
    {
        var client = app.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (cookie is not null)
                request.Headers.Cookie = cookie;
            if (origin is not null)
                request.Headers.Origin = origin;
        };
        return new LiveSocket(await client.ConnectAsync(new Uri(url), CancellationToken.None));
    }

    /// <summary>A room page's socket on a real server (an <see cref="AppProcess"/>), resumed after <paramref name="after"/>.</summary>
    public static async Task<ClientWebSocket> Connect(string baseUrl, Visitor visitor, int roomId, long after = 0)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", visitor.CookieHeader);
        socket.Options.SetRequestHeader("Origin", baseUrl);
        await socket.ConnectAsync(new Uri($"{baseUrl.Replace("http", "ws")}/rooms/{roomId}/live"), CancellationToken.None);
        await new LiveSocket(socket).Resume(after);
        return socket;
    }

    public Task Resume(long after, long since = 0) => SendJson(new { type = "resume", after, since });

    public Task SendJson(object value) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(value), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next fragment, or null when the server closed the socket.</summary>
    public async Task<string?> Next(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (result.EndOfMessage)
                return text.ToString();
        }
    }

    /// <summary>Fragments until <paramref name="count"/> match, failing after the wait.</summary>
    public async Task<List<string>> Collect(Func<string, bool> wanted, int count, TimeSpan? wait = null)
    {
        var found = new List<string>();
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
        while (found.Count < count)
        {
            var fragment = await Next(deadline - DateTime.UtcNow) ?? throw new InvalidOperationException($"Closed after {found.Count} of {count}");
            if (wanted(fragment))
                found.Add(fragment);
        }
        return found;
    }

    /// <summary>Reads until the server closes; returns the close status (fragments in between are returned too).</summary>
    public async Task<(WebSocketCloseStatus? Status, List<string> Fragments)> UntilClosed(TimeSpan? wait = null)
    {
        var fragments = new List<string>();
        try
        {
            while (await Next(wait ?? TimeSpan.FromSeconds(5)) is { } fragment)
                fragments.Add(fragment);
        }
        catch (WebSocketException)
        {
        }
        return (socket.CloseStatus, fragments);
    }

    public async ValueTask DisposeAsync()
    {
        socket.Abort();
        socket.Dispose();
        await Task.CompletedTask;
    }
}
