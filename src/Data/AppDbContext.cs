using AgentRooms.Data.Accounts;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Attachments;
using AgentRooms.Data.Invitations;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Notifications;
using AgentRooms.Data.Reactions;
using AgentRooms.Data.Rooms;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AgentRooms.Data;

/// <summary>
/// The application's data. Each database provider has its own subclass so each keeps its own
/// migrations (<see cref="SqliteAppDbContext"/>, <see cref="MySqlAppDbContext"/>).
/// </summary>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityDbContext<User>(options), IDataProtectionKeyContext
{
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<RoomMember> RoomMembers => Set<RoomMember>();
    public DbSet<RoomAgent> RoomAgents => Set<RoomAgent>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<MessageMention> MessageMentions => Set<MessageMention>();
    public DbSet<AgentReply> AgentReplies => Set<AgentReply>();
    public DbSet<EarlierAnswer> EarlierAnswers => Set<EarlierAnswer>();
    public DbSet<FilePassage> FilePassages => Set<FilePassage>();
    public DbSet<RoomNote> RoomNotes => Set<RoomNote>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ToolApproval> ToolApprovals => Set<ToolApproval>();
    public DbSet<ToolRule> ToolRules => Set<ToolRule>();
    public DbSet<PrivateAnswer> PrivateAnswers => Set<PrivateAnswer>();
    public DbSet<SavedMessage> SavedMessages => Set<SavedMessage>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<Summary> Summaries => Set<Summary>();
    public DbSet<Admin.SiteSettings> SiteSettings => Set<Admin.SiteSettings>();
    public DbSet<Admin.AuditEntry> AuditEntries => Set<Admin.AuditEntry>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<RevokedSession> RevokedSessions => Set<RevokedSession>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<RoomBan> RoomBans => Set<RoomBan>();
    public DbSet<Reaction> Reactions => Set<Reaction>();
    public DbSet<PersonMention> PersonMentions => Set<PersonMention>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<PushSubscription> PushSubscriptions => Set<PushSubscription>();
    public DbSet<SiteKey> SiteKeys => Set<SiteKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Every timestamp is UTC; the databases store no kind, so restore it on the way back.
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? v.Value.ToUniversalTime() : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The search index's triggers (migration MessageSearch) run after each write to Messages, and
        // SQLite's RETURNING does not go with AFTER triggers: EF reads the new key the older way.
        builder.Entity<Message>().ToTable(table => table.UseSqlReturningClause(false));
    }
}

public sealed class MySqlAppDbContext(DbContextOptions<MySqlAppDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Names, messages and agent emoji are full Unicode.
        builder.HasCharSet("utf8mb4");
        // Reactions compare exactly: the default collation weighs most emoji alike ("👍" would be "🎉") and ignores case.
        builder.Entity<Reaction>().Property(r => r.Text).UseCollation("utf8mb4_bin");
    }
}
