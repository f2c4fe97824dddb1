using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Rooms;
using AgentRooms.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Data;

public sealed class SchemaTestsOnSqlite(SqliteAppFactory app) : SchemaTests(app), IClassFixture<SqliteAppFactory>;

public sealed class SchemaTestsOnMariaDb(MariaDbAppFactory app) : SchemaTests(app), IClassFixture<MariaDbAppFactory>
{
    // SQLite ignores declared lengths (the forms enforce them there); MariaDB refuses them itself.
    [Fact]
    public async Task Room_names_longer_than_the_limit_are_refused_by_the_database()
    {
        var (_, user) = await RoomWithOwner();

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDb(async db =>
        {
            db.Rooms.Add(new Room { Name = new string('x', Room.NameMaxLength + 1), CreatedById = user });
            return await db.SaveChangesAsync();
        }));
    }
}

/// <summary>The rules the database itself keeps, whatever the code above it does.</summary>
public abstract class SchemaTests(AppFactory app)
{
    [Fact]
    public async Task The_migrations_cover_every_change_to_the_model()
    {
        var pending = await app.WithDb(db => Task.FromResult(db.Database.HasPendingModelChanges()));
        var unapplied = await app.WithDb(db => db.Database.GetPendingMigrationsAsync());

        Assert.False(pending, $"The {app.Provider} model has changes no migration holds: add a migration.");
        Assert.Empty(unapplied);
    }

    [Fact]
    public async Task Two_messages_cannot_share_a_seq_in_one_room()
    {
        var (room, user) = await RoomWithOwner();

        await app.WithDb(async db =>
        {
            db.Messages.Add(new Message { RoomId = room, Seq = 1, SenderUserId = user, Content = "one" });
            await db.SaveChangesAsync();
            return 0;
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDb(async db =>
        {
            db.Messages.Add(new Message { RoomId = room, Seq = 1, SenderUserId = user, Content = "two" });
            return await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task A_client_message_id_is_used_once_per_sender_and_room()
    {
        var (room, user) = await RoomWithOwner();
        var clientId = Guid.NewGuid();

        await app.WithDb(async db =>
        {
            db.Messages.Add(new Message { RoomId = room, Seq = 1, SenderUserId = user, Content = "one", ClientMessageId = clientId });
            db.Messages.Add(new Message { RoomId = room, Seq = 2, Kind = MessageKind.Agent, Content = "agent", ReplyState = ReplyState.Done });
            db.Messages.Add(new Message { RoomId = room, Seq = 3, Kind = MessageKind.Agent, Content = "agent", ReplyState = ReplyState.Done });
            return await db.SaveChangesAsync();
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDb(async db =>
        {
            db.Messages.Add(new Message { RoomId = room, Seq = 4, SenderUserId = user, Content = "again", ClientMessageId = clientId });
            return await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task Two_agents_with_one_handle_cannot_join_one_room()
    {
        var (room, user) = await RoomWithOwner();
        var first = await NewAgent(user, "ada");
        var second = await NewAgent(user, "ada");

        await app.WithDb(async db =>
        {
            db.RoomAgents.Add(new RoomAgent { RoomId = room, AgentId = first, Handle = "ada", AddedById = user });
            return await db.SaveChangesAsync();
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDb(async db =>
        {
            db.RoomAgents.Add(new RoomAgent { RoomId = room, AgentId = second, Handle = "ada", AddedById = user });
            return await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task An_agent_answers_a_message_once()
    {
        var (room, user) = await RoomWithOwner();
        var agent = await NewAgent(user, "once");
        var message = await app.WithDb(async db =>
        {
            var m = new Message { RoomId = room, Seq = 1, SenderUserId = user, Content = "@once hi" };
            db.Messages.Add(m);
            db.AgentReplies.Add(new AgentReply { TriggerMessage = m, AgentId = agent });
            await db.SaveChangesAsync();
            return m.Id;
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDb(async db =>
        {
            db.AgentReplies.Add(new AgentReply { TriggerMessageId = message, AgentId = agent });
            return await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task A_message_must_belong_to_an_existing_room()
    {
        var (_, user) = await RoomWithOwner();

        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDb(async db =>
        {
            db.Messages.Add(new Message { RoomId = int.MaxValue, Seq = 1, SenderUserId = user, Content = "lost" });
            return await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task Emoji_and_other_unicode_survive_a_round_trip()
    {
        var (_, user) = await RoomWithOwner();
        var agent = await NewAgent(user, "emoji", emoji: "🧑‍🔬");

        var stored = await app.WithDb(db => db.Agents.SingleAsync(a => a.Id == agent));

        Assert.Equal("🧑‍🔬", stored.Emoji);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
    }

    protected async Task<(int Room, string User)> RoomWithOwner() => await app.WithDb(async db =>
    {
        var user = new User { UserName = People.NewEmail(), Email = People.NewEmail(), DisplayName = "Owner" };
        var room = new Room { Name = "Schema", CreatedBy = user };
        room.Members.Add(new RoomMember { User = user, Role = RoomRole.Owner });
        db.Rooms.Add(room);
        await db.SaveChangesAsync();
        return (room.Id, user.Id);
    });

    private Task<int> NewAgent(string user, string handle, string emoji = Agent.DefaultEmoji) => app.WithDb(async db =>
    {
        var agent = new Agent { Name = handle, Handle = handle, Emoji = emoji, Prompt = "You are a helpful agent.", CreatedById = user };
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        return agent.Id;
    });
}
