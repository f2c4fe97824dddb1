using System.Net.WebSockets;
using System.Text;

namespace AgentRooms.Bench;

/// <summary>Whole text frames from a socket, however the transport split them.</summary>
public static class Frames
{
    /// <summary>The next whole frame, or null when the server closed the socket.</summary>
    public static async Task<string?> Next(WebSocket socket, byte[] buffer, StringBuilder partial, CancellationToken stop)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, stop);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            partial.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (!result.EndOfMessage)
                continue;
            var frame = partial.ToString();
            partial.Clear();
            return frame;
        }
    }
}
