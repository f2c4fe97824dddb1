using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentRooms.Bench;

/// <summary>A server under test: the app, or a baseline speaking the same room protocol.</summary>
public interface ITarget
{
    Task<int> CreateRoom(int index);
    Task<ClientWebSocket> Connect(int roomId);
    Task Post(int roomId, string content);
}

/// <summary>
/// The real app: one signed-in person, rooms made through the form, posts through the form pipeline.
/// With several nodes, posts go to the first and members' sockets to each node in turn (the
/// sign-in cookie is valid on all).
/// </summary>
public sealed partial class AppTarget(string url, string[] socketUrls) : ITarget
{
    private readonly CookieContainer cookies = new();
    private int connects;
    private HttpClient? client;
    private string token = "";

    private async Task<HttpClient> Client()
    {
        if (client is not null)
            return client;
        client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
            { BaseAddress = new Uri(url) };
        var email = $"bench-{Guid.NewGuid():N}@example.test";
        await Form("/Account/Register", new() { ["Input.Email"] = email, ["Input.DisplayName"] = "Bench", ["Input.Password"] = "bench password 123" });
        token = Token(await client.GetStringAsync("/rooms/new"));
        return client;
    }

    public async Task<int> CreateRoom(int index)
    {
        await Client();
        var response = await Form("/rooms/new", new() { ["Input.Name"] = $"Bench room {index}", ["Input.Visibility"] = "Private" });
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    /// <summary>The signed-in person's client (cookies, no decompression).</summary>
    public Task<HttpClient> SignedIn() => Client();

    /// <summary>
    /// Another client with the same sign-in that asks as a browser does (Brotli or gzip accepted) and
    /// keeps the compressed bytes as they came.
    /// </summary>
    public HttpClient Browser()
    {
        var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
            { BaseAddress = new Uri(url) };
        browser.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
        return browser;
    }

    /// <summary>How posts go: "form" (the composer's form post) or "socket" (a send frame on the room's socket, S4s).</summary>
    public string Via { get; init; } = "form";

    private SocketPosts? socketPosts;

    public Task<ClientWebSocket> Connect(int roomId) => Connect(roomId, resume: true);

    private async Task<ClientWebSocket> Connect(int roomId, bool resume)
    {
        await Client();
        var node = socketUrls.Length == 0 ? url : socketUrls[Interlocked.Increment(ref connects) % socketUrls.Length];
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookies.GetCookieHeader(new Uri(url)));
        socket.Options.SetRequestHeader("Origin", node);
        await socket.ConnectAsync(new Uri($"{node.Replace("http", "ws")}/rooms/{roomId}/live"), CancellationToken.None);
        if (resume)
            await socket.SendAsync("{\"type\":\"resume\",\"after\":0}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }

    public async Task Post(int roomId, string content)
    {
        if (Via == "socket")
        {
            socketPosts ??= new SocketPosts(room => Connect(room, resume: false), LastSeq);
            await socketPosts.Post(roomId, content);
            return;
        }
        var http = await Client();
        var response = await http.PostAsync($"/rooms/{roomId}/messages", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Composer.Content"] = content, ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Post answered {(int)response.StatusCode}");
    }

    /// <summary>The room's newest Seq, read from its page.</summary>
    private async Task<long> LastSeq(int roomId)
    {
        var page = await (await Client()).GetStringAsync($"/rooms/{roomId}");
        return Seq().Matches(page).Select(m => long.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
    }

    [GeneratedRegex("data-seq=\"(\\d+)\"")]
    private static partial Regex Seq();

    /// <summary>S6: an agent of the bench person's own, by the agent form.</summary>
    public async Task CreateAgent(string handle)
    {
        await Client();
        var created = await Form("/agents/new", new()
        {
            ["Input.Name"] = "Bench agent", ["Input.Handle"] = handle, ["Input.Emoji"] = "🤖",
            ["Input.Prompt"] = "You answer benchmark questions.", ["Input.Style"] = "Direct", ["Input.Model"] = "",
        });
        if (created.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Creating the agent answered {(int)created.StatusCode}");
    }

    /// <summary>Adds the person's (only) agent to the room through the room page's "Add agent" form.</summary>
    public async Task AddAgent(int roomId)
    {
        var http = await Client();
        var page = await http.GetStringAsync($"/rooms/{roomId}");
        var agentId = AgentOption().Match(page).Groups[1].Value;
        var added = await http.PostAsync($"/rooms/{roomId}/agents?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(page), ["agentId"] = agentId,
        }));
        if (added.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Adding the agent answered {(int)added.StatusCode}");
    }

    private async Task<HttpResponseMessage> Form(string path, Dictionary<string, string> fields)
    {
        var http = client!;
        fields["__RequestVerificationToken"] = Token(await http.GetStringAsync(path));
        return await http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static string Token(string html) => AntiforgeryToken().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<option value=\"(\\d+)\"")]
    private static partial Regex AgentOption();
}

/// <summary>B0: rooms exist on first use; a socket joins the room in its path; a post is a plain form post.</summary>
public class B0Target(string url) : ITarget
{
    private readonly HttpClient client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(url) };

    protected string Url => url;

    public Task<int> CreateRoom(int index) => Task.FromResult(index + 1);

    public virtual async Task<ClientWebSocket> Connect(int roomId)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{url.Replace("http", "ws")}/rooms/{roomId}/live"), CancellationToken.None);
        return socket;
    }

    public async Task Post(int roomId, string content) =>
        (await client.PostAsync($"/rooms/{roomId}/post", new FormUrlEncodedContent(new Dictionary<string, string> { ["content"] = content })))
        .EnsureSuccessStatusCode();
}

/// <summary>
/// B2 (socket.io 4.8): the same posts; the socket speaks Engine.IO v4 over a raw WebSocket: the
/// server's open packet, then "40" to join the default namespace, answered by "40{sid}". Pings ("2")
/// are answered by the member's reader. Fragments arrive as 42["fragment","..."].
/// </summary>
public sealed class B2Target(string url) : B0Target(url)
{
    public override async Task<ClientWebSocket> Connect(int roomId)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{Url.Replace("http", "ws")}/socket.io/?EIO=4&transport=websocket&room={roomId}"), CancellationToken.None);
        await Expect(socket, "0");
        await socket.SendAsync("40"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await Expect(socket, "40");
        return socket;
    }

    private static async Task Expect(ClientWebSocket socket, string prefix)
    {
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
        if (!text.StartsWith(prefix))
            throw new InvalidOperationException($"socket.io said {text}, expected {prefix}…");
    }
}
