using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentRooms.Bench;

/// <summary>
/// One member's socket and what it received: the number of each bench post (in arrival order, with
/// the time it arrived) and, for the agents scenario, any text the caller watches for.
/// </summary>
public sealed partial class Member(int roomId, ClientWebSocket socket)
{
    public int RoomId => roomId;
    public ClientWebSocket Socket => socket;
    public List<(int Post, long At)> Received { get; } = [];
    /// <summary>Called with every whole text frame and its arrival time, on the reading task.</summary>
    public Action<string, long>? OnFrame { get; set; }

    public async Task Read(CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await Frames.Next(socket, buffer, text, stop) is not { } frame)
                    return;
                var at = Stopwatch.GetTimestamp();
                if (frame == "2") // an Engine.IO ping (B2): answered, or the server hangs up
                {
                    await socket.SendAsync("3"u8.ToArray(), WebSocketMessageType.Text, true, stop);
                    continue;
                }
                foreach (Match match in BenchPost().Matches(frame))
                    lock (Received)
                        Received.Add((int.Parse(match.Groups[1].Value), at));
                OnFrame?.Invoke(frame, at);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested) { }
        catch (WebSocketException) { }
    }

    public int CountBetween(int from, int to)
    {
        lock (Received)
            return Received.Count(r => r.Post >= from && r.Post < to);
    }

    public List<(int Post, long At)> Between(int from, int to)
    {
        lock (Received)
            return Received.Where(r => r.Post >= from && r.Post < to).ToList();
    }

    public static string Content(int post) => $"bench {post}";

    [GeneratedRegex(@"<p>bench (\d+)</p>")]
    private static partial Regex BenchPost();
}
