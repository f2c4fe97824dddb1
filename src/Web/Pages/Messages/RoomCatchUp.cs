using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>Reads what a reconnecting page missed and renders it with the same components as pushes.</summary>
public sealed class RoomCatchUp(IServiceScopeFactory scopes, FragmentRenderer renderer) : IRoomCatchUp
{
    public async Task<List<(long Seq, byte[] Fragment)>?> After(int roomId, long afterSeq, long throughSeq, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var messages = await scope.ServiceProvider.GetRequiredService<RoomHistory>().After(roomId, afterSeq, throughSeq, RoomHistory.PageSize + 1, cancel);
        if (messages.Count > RoomHistory.PageSize)
            return null;
        var fragments = new List<(long, byte[])>(messages.Count);
        foreach (var message in messages)
            fragments.Add((message.Seq, await renderer.RenderUtf8(MessageAppend.Of(message))));
        return fragments;
    }

    /// <summary>room.js reloads on seeing it; the link is there without it.</summary>
    public byte[] ReloadNote(int roomId) => System.Text.Encoding.UTF8.GetBytes(
        $"<div hx-swap-oob=\"beforeend:#messages\"><p class=\"reload-note\" data-reload role=\"status\">" +
        $"Much happened while you were away. <a href=\"{Paths.Room(roomId)}\">Reload the room</a></p></div>");

    public async Task<List<byte[]>> Changed(int roomId, long sinceSeq, long throughSeq, CancellationToken cancel)
    {
        if (throughSeq <= 0)
            return [];
        await using var scope = scopes.CreateAsyncScope();
        var messages = await scope.ServiceProvider.GetRequiredService<RoomHistory>().Changed(roomId, sinceSeq, throughSeq, cancel);
        var fragments = new List<byte[]>(messages.Count);
        foreach (var message in messages)
            fragments.Add(await renderer.RenderUtf8(MessageView.Replacing(message)));
        return fragments;
    }
}
