using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Security;

public sealed class MentionNameTestsOnSqlite(SqliteAppFactory app) : MentionNameTests(app), IClassFixture<SqliteAppFactory>;

public sealed class MentionNameTestsOnMariaDb(MariaDbAppFactory app) : MentionNameTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>Nobody takes another's mentions by their name: a rename into a fellow member's is refused, and a newcomer with the same name does not get the first one's.</summary>
public abstract class MentionNameTests(AppFactory app)
{
    [Fact]
    public async Task Renaming_into_a_fellow_members_name_is_refused_and_mentions_keep_going_to_them()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Alice Mentioned");
        var (mallory, malloryEmail) = await app.SignedInPerson("Mallory Mimic");
        var (carol, _) = await app.SignedInPerson("Carol Writes");
        var roomId = await alice.CreateRoom("Who is who", "Public");
        await mallory.Join(roomId);
        await carol.Join(roomId);

        var renamed = await mallory.Submit("/Account/Profile", "Save", new Dictionary<string, string> { ["Input.DisplayName"] = "alice  MENTIONED" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, renamed.Status);
        Assert.Contains("Someone in Who is who is already called Alice Mentioned", renamed.ErrorFor("Input.DisplayName"));
        Assert.Equal("Mallory Mimic", await app.WithDb(db => db.Users.Where(u => u.Email == malloryEmail).Select(u => u.DisplayName).SingleAsync()));
        await carol.Send(roomId, "@alice-mentioned see this");
        Assert.Equal([aliceEmail], await app.WithDb(db => db.PersonMentions.Where(p => p.RoomId == roomId).Select(p => p.User!.Email!).ToListAsync()));
    }

    [Fact]
    public async Task A_newcomer_with_the_same_name_does_not_receive_the_first_ones_mentions()
    {
        var (alice, aliceEmail) = await app.SignedInPerson("Alice Twin");
        var (carol, _) = await app.SignedInPerson("Carol Asks");
        var roomId = await alice.CreateRoom("Twins", "Public");
        await carol.Join(roomId);
        var (impostor, _) = await app.SignedInPerson("Alice Twin");
        await impostor.Join(roomId);

        await carol.Send(roomId, "@alice-twin are you there?");

        Assert.Equal([aliceEmail], await app.WithDb(db => db.PersonMentions.Where(p => p.RoomId == roomId).Select(p => p.User!.Email!).ToListAsync()));
    }
}
