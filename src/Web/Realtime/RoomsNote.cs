using System.Text;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// Tells a page that its rooms list is out of date: plain JSON that htmx leaves to site.js, which
/// fetches the list again (once for a burst of notes). It names no one and says nothing of what was said.
/// </summary>
public static class RoomsNote
{
    /// <summary>A new message in the room: pages with the room open are not told (it is being read there).</summary>
    public static byte[] Posted(int roomId) => Note(roomId, "post");

    /// <summary>The room's line changed (a rename): every page listing it is told.</summary>
    public static byte[] Changed(int roomId) => Note(roomId, "changed");

    /// <summary>The person's own list changed: they read a room, or joined or left one.</summary>
    public static readonly byte[] Mine = Encoding.UTF8.GetBytes("""{"type":"rooms","room":0,"why":"mine"}""");

    private static byte[] Note(int roomId, string why) =>
        Encoding.UTF8.GetBytes($$"""{"type":"rooms","room":{{roomId}},"why":"{{why}}"}""");
}
