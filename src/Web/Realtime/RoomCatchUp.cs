using AgentRooms.Web.Components;
using AgentRooms.Web.Messages;

namespace AgentRooms.Web.Realtime;

/// <summary>Reads what a reconnecting page missed and renders it with the same components as pushes.</summary>
public sealed class RoomCatchUp(IServiceScopeFactory scopes, FragmentRenderer renderer)
{
    /// <summary>
    /// What the page missed, at most one page of it; null when it missed more, and should reload
    /// rather than have its socket replay the room.
    /// </summary>
    public async Task<List<(long Seq, byte[] Fragment)>?> After(int roomId, long afterSeq, long throughSeq, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var messages = await scope.ServiceProvider.GetRequiredService<RoomHistory>().After(roomId, afterSeq, throughSeq, RoomHistory.PageSize + 1, cancel);
        if (messages.Count > RoomHistory.PageSize)
            return null;
        var fragments = new List<(long, byte[])>(messages.Count);
        foreach (var message in messages)
            fragments.Add((message.Seq, await renderer.RenderUtf8<MessageAppend>(new Dictionary<string, object?> { ["Messages"] = new[] { message } })));
        return fragments;
    }

    /// <summary>Tells a page that missed more than a page to reload (room.js does; the link is there without it).</summary>
    public static byte[] ReloadNote(int roomId) => System.Text.Encoding.UTF8.GetBytes(
        $"<div hx-swap-oob=\"beforeend:#messages\"><p class=\"reload-note\" data-reload role=\"status\">" +
        $"Much happened while you were away. <a href=\"/rooms/{roomId}\">Reload the room</a></p></div>");

    /// <summary>Edits and deletions, since the oldest message the page shows, of messages it already has.</summary>
    public async Task<List<byte[]>> Changed(int roomId, long sinceSeq, long throughSeq, CancellationToken cancel)
    {
        if (throughSeq <= 0)
            return [];
        await using var scope = scopes.CreateAsyncScope();
        var messages = await scope.ServiceProvider.GetRequiredService<RoomHistory>().Changed(roomId, sinceSeq, throughSeq, cancel);
        var fragments = new List<byte[]>(messages.Count);
        foreach (var message in messages)
            fragments.Add(await renderer.RenderUtf8<MessageView>(new Dictionary<string, object?> { ["Message"] = message, ["Oob"] = "true" }));
        return fragments;
    }
}
