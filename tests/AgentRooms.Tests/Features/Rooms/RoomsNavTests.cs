using System.Net;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static AgentRooms.Tests.Support.LiveSocket;

namespace AgentRooms.Tests.Features.Rooms;

public sealed class RoomsNavTestsOnSqlite(SqliteAppFactory app) : RoomsNavTests(app), IClassFixture<SqliteAppFactory>;

public sealed class RoomsNavTestsOnMariaDb(MariaDbAppFactory app) : RoomsNavTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>The shell's rooms list: unread counts and mention marks, and the notes that keep open pages' lists up to date.</summary>
public abstract class RoomsNavTests(AppFactory app)
{
    [Fact]
    public async Task A_room_opened_with_unread_messages_marks_where_they_begin_once()
    {
        var (alice, _) = await app.SignedInPerson("Line reader");
        var roomId = await alice.CreateRoom("Marked new", "Public");
        var (bob, _) = await app.SignedInPerson("Line writer");
        await bob.Join(roomId);
        await alice.Send(roomId, "read already");
        await alice.Get($"/rooms/{roomId}");
        await alice.Send(roomId, "my own, after reading"); // one's own messages are never new
        await bob.Send(roomId, "first new");
        await bob.Send(roomId, "second new");

        var opened = (await alice.Get($"/rooms/{roomId}")).Document;
        var line = opened.QuerySelector("#messages #unread");
        Assert.NotNull(line);
        Assert.Equal("separator", line.GetAttribute("role"));
        Assert.Equal("New messages", line.GetAttribute("aria-label"));
        Assert.Contains("first new", line.NextElementSibling!.TextContent);
        Assert.Single(opened.QuerySelectorAll(".unread-line"));

        // Read now: the next visit has no line, and Bob, who wrote them, never had one.
        Assert.Null((await alice.Get($"/rooms/{roomId}")).Document.QuerySelector(".unread-line"));
        Assert.Null((await bob.Get($"/rooms/{roomId}")).Document.QuerySelector(".unread-line"));
        // Someone who has just joined has read nothing yet: all of it is new to them, and no line says so.
        var (carol, _) = await app.SignedInPerson("Line newcomer");
        await carol.Join(roomId);
        Assert.Null((await carol.Get($"/rooms/{roomId}")).Document.QuerySelector(".unread-line"));
    }

    private static Task<Visitor.Page> Nav(Visitor visitor, int? current = null) =>
        visitor.Get(current is { } id ? $"/rooms/nav?current={id}" : "/rooms/nav");

    private const string Mine = "{\"type\":\"rooms\",\"room\":0,\"why\":\"mine\"}";

    /// <summary>
    /// Notes up to the first that <paramref name="last"/> matches. Notes of new messages may come fewer
    /// than the messages (one waiting unsent stands for the next); the others always come.
    /// </summary>
    private static async Task<List<string>> NotesUntil(LiveSocket socket, Func<string, bool> last)
    {
        var notes = new List<string>();
        while (true)
        {
            var note = await socket.Next() ?? throw new InvalidOperationException($"Closed after {notes.Count} notes");
            Assert.True(IsRoomsNote(note), note);
            notes.Add(note);
            if (last(note))
                return notes;
        }
    }

    /// <summary>The accessible name of the room's link in the list (its aria-label, else its text).</summary>
    private static string? LinkName(Visitor.Page nav, int roomId) =>
        nav.Document.QuerySelector($"a[href='/rooms/{roomId}#latest']") is { } link
            ? link.GetAttribute("aria-label") ?? link.TextContent.Trim()
            : null;

    [Fact]
    public async Task The_list_counts_what_others_wrote_since_the_reader_last_read_and_marks_a_mention_of_them()
    {
        var (ada, _) = await app.SignedInPerson("Ada Counter");
        var (bob, _) = await app.SignedInPerson("Bob Counted");
        var roomId = await ada.CreateRoom("Counting room", "Public");
        await bob.Join(roomId);
        await bob.Get($"/rooms/{roomId}"); // read to the end

        await ada.Send(roomId, "first news");
        await ada.Send(roomId, "not for @bob-counted-too, a longer handle");
        // Posting is not reading (a post that does not open the room first): the two above stay unread.
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Post($"/rooms/{roomId}/messages", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await bob.AnyToken(),
            ["Composer.Content"] = "my own words never count",
            ["Composer.ClientMessageId"] = Guid.NewGuid().ToString(),
        })).Status);
        await ada.Send(roomId, "gone soon");
        var gone = await app.WithDb(db => db.Messages.Where(m => m.RoomId == roomId && m.Content == "gone soon").Select(m => m.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await ada.Submit($"/rooms/{roomId}/messages/{gone}", "Delete", new Dictionary<string, string>())).Status);

        Assert.Equal("Counting room, 2 unread", LinkName(await Nav(bob), roomId));

        await ada.Send(roomId, "@bob-counted, a question for you");
        var nav = await Nav(bob);
        Assert.Equal("Counting room, 3 unread, mentions you", LinkName(nav, roomId));
        Assert.Equal("3", nav.Document.QuerySelector("#rooms-nav-list")!.GetAttribute("data-unread"));

        // The page showing the room counts nothing there; opening it reads it.
        var shown = await Nav(bob, roomId);
        Assert.Equal("Counting room", LinkName(shown, roomId));
        Assert.Equal("page", shown.Document.QuerySelector($"a[href='/rooms/{roomId}#latest']")!.GetAttribute("aria-current"));
        await bob.Get($"/rooms/{roomId}");
        Assert.Equal("Counting room", LinkName(await Nav(bob), roomId));
        Assert.Equal("0", (await Nav(bob)).Document.QuerySelector("#rooms-nav-list")!.GetAttribute("data-unread"));
    }

    [Fact]
    public async Task The_list_shows_only_the_readers_rooms_on_every_page_and_never_anothers_private_room()
    {
        var (ada, _) = await app.SignedInPerson("Ada Private");
        var (eve, _) = await app.SignedInPerson("Eve Outside");
        var secret = await ada.CreateRoom("Secret plans");
        var open = await eve.CreateRoom("Eve's own room");
        await ada.Send(secret, "hush");

        var page = await eve.Get("/agents");
        var list = page.Document.QuerySelector("nav[aria-label='Rooms'] #rooms-nav-list")!;
        Assert.Contains(list.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/rooms/{open}#latest");
        Assert.DoesNotContain("Secret plans", list.TextContent);
        Assert.DoesNotContain("Secret plans", (await Nav(eve, secret)).Text);
        var anonymous = await app.NewVisitor().Get("/rooms/nav");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.Status);
        Assert.StartsWith("/Account/Login", new Uri(new Uri("http://localhost"), anonymous.Location).AbsolutePath);
    }

    [Fact]
    public async Task A_page_elsewhere_hears_that_a_room_of_theirs_has_news_and_nothing_of_rooms_they_are_not_in()
    {
        var (ada, _) = await app.SignedInPerson("Ada Noisy");
        var (bob, _) = await app.SignedInPerson("Bob Listening");
        var shared = await ada.CreateRoom("Shared news", "Public");
        var secret = await ada.CreateRoom("Ada alone");
        await bob.Join(shared);

        await using var elsewhere = await OpenElsewhere(app, bob);
        await ada.Send(secret, "not for Bob's ears");
        await ada.Send(shared, "for everyone here");

        var note = await elsewhere.Next();
        Assert.True(IsRoomsNote(note!, shared, "post"), note);
        // The note names the room and nothing else: no words, no sender.
        Assert.DoesNotContain("everyone", note);
    }

    [Fact]
    public async Task Reading_on_one_page_clears_the_count_on_the_readers_other_pages_and_a_read_mark_only_moves_forward()
    {
        var (ada, _) = await app.SignedInPerson("Ada Writer");
        var (bob, bobEmail) = await app.SignedInPerson("Bob Reader");
        var roomId = await ada.CreateRoom("Read marks", "Public");
        await bob.Join(roomId);
        var bobId = await app.WithDb(db => db.Users.Where(u => u.Email == bobEmail).Select(u => u.Id).SingleAsync());
        Task<long> LastRead() => app.WithDb(db => db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == bobId).Select(m => m.LastReadSeq).SingleAsync());

        await using var inRoom = await Open(app, bob, roomId);
        await inRoom.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync()));
        await using var elsewhere = await OpenElsewhere(app, bob);
        await ada.Send(roomId, "one");
        await ada.Send(roomId, "two");
        var arrived = await inRoom.Collect(IsAppend, 2);
        Assert.True(IsRoomsNote((await elsewhere.Next())!, roomId, "post"));

        var newest = SeqOf(arrived[1]);
        await inRoom.SendJson(new { type = "read", seq = newest + 50 }); // beyond the room's end: ignored
        await inRoom.SendJson(new { type = "read", seq = newest });

        Assert.All((await NotesUntil(elsewhere, note => note == Mine)).SkipLast(1), note => Assert.True(IsRoomsNote(note, roomId, "post"), note));
        Assert.Equal(newest, await LastRead());
        Assert.Equal("Read marks", LinkName(await Nav(bob), roomId));

        await inRoom.SendJson(new { type = "read", seq = newest - 1 });
        await ada.Send(roomId, "three");
        Assert.DoesNotContain(Mine, await NotesUntil(elsewhere, note => IsRoomsNote(note, roomId, "post"))); // nothing moved back
        Assert.Equal(newest, await LastRead());
        Assert.Equal("Read marks, 1 unread", LinkName(await Nav(bob), roomId));
    }

    [Fact]
    public async Task Pages_start_hearing_of_a_room_when_their_person_joins_it_and_hear_a_rename()
    {
        var (ada, _) = await app.SignedInPerson("Ada Host");
        var (bob, _) = await app.SignedInPerson("Bob Joiner");
        var roomId = await ada.CreateRoom("Before rename", "Public");

        await using var elsewhere = await OpenElsewhere(app, bob);
        await bob.Join(roomId);
        Assert.Equal(Mine, await elsewhere.Next()); // the first note: before joining, the room was none of his
        await ada.Send(roomId, "welcome");
        await NotesUntil(elsewhere, note => IsRoomsNote(note, roomId, "post")); // the line "Bob Joiner joined", or the welcome

        await using var inRoom = await Open(app, bob, roomId);
        await inRoom.Resume(await app.WithDb(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync()));
        var renamed = await ada.Submit($"/rooms/{roomId}/settings", "Save changes", new Dictionary<string, string>
        {
            ["Input.Name"] = "After rename",
            ["Input.Description"] = "",
            ["Input.Visibility"] = "Public",
        });
        Assert.Equal(HttpStatusCode.Redirect, renamed.Status);

        await NotesUntil(elsewhere, note => IsRoomsNote(note, roomId, "changed"));
        Assert.Single(await inRoom.Collect(f => IsRoomsNote(f, roomId, "changed"), 1));
        Assert.Equal("After rename, 1 unread", LinkName(await Nav(bob), roomId));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData(null)]
    public async Task The_socket_of_a_page_elsewhere_is_refused_to_another_origin_and_to_nobody(string? origin)
    {
        var (bob, _) = await app.SignedInPerson("Bob Guarded");

        Assert.Contains("403", (await Assert.ThrowsAnyAsync<Exception>(() => OpenElsewhere(app, bob, origin))).Message);
        Assert.Contains("401", (await Assert.ThrowsAnyAsync<Exception>(() => OpenElsewhere(app, visitor: null))).Message);
    }
}
