using AgentRooms.Data.Messages;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Messages;

/// <summary>An app of its own, restarted over its database as after an upgrade.</summary>
public sealed class StoredHtmlBackfillTests
{
    [Fact]
    public async Task Messages_saved_without_their_html_are_shown_rendered_and_get_it_stored_after_a_restart()
    {
        await using var app = new SqliteAppFactory();
        var (alice, _) = await app.SignedInPerson("Upgrader");
        var roomId = await alice.CreateRoom("From an earlier version");
        await app.WithDb(async db =>
        {
            var userId = await db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).SingleAsync();
            for (var seq = 1; seq <= 3; seq++)
                db.Messages.Add(new Message { RoomId = roomId, Seq = seq, SenderUserId = userId, Content = $"**old** {seq}" });
            (await db.Rooms.SingleAsync(r => r.Id == roomId)).LastSeq = 3;
            return await db.SaveChangesAsync();
        });

        var before = await alice.Get($"/rooms/{roomId}");
        await using var restarted = app.Restarted();

        Assert.Equal(3, before.Document.QuerySelectorAll("#messages article strong").Length);
        await Eventually.True(async () => await restarted.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).AllAsync(m => m.ContentHtml != null)),
            what: "the stored HTML");
        var stored = await restarted.WithDb(db => db.Messages.Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).Select(m => m.ContentHtml).ToListAsync());
        Assert.Equal(["<p><strong>old</strong> 1</p>\n", "<p><strong>old</strong> 2</p>\n", "<p><strong>old</strong> 3</p>\n"], stored);
    }
}
