using AgentRooms.Data.Accounts;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Attachments;
using AgentRooms.Data.Invitations;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Notifications;
using AgentRooms.Data.Reactions;
using AgentRooms.Data.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRooms.Data;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.DisplayName).HasMaxLength(User.DisplayNameMaxLength).IsRequired();
    }
}

internal sealed class RevokedSessionConfiguration : IEntityTypeConfiguration<RevokedSession>
{
    public void Configure(EntityTypeBuilder<RevokedSession> session)
    {
        session.Property(s => s.Id).HasMaxLength(RevokedSession.IdLength).IsFixedLength();
        session.HasIndex(s => s.ExpiresAt);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> session)
    {
        session.Property(s => s.Id).HasMaxLength(RevokedSession.IdLength).IsFixedLength();
        session.Property(s => s.Device).HasMaxLength(UserSession.DeviceMaxLength).IsRequired();
        session.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.HasIndex(s => new { s.UserId, s.LastSeenAt });
    }
}

internal sealed class RoomBanConfiguration : IEntityTypeConfiguration<RoomBan>
{
    public void Configure(EntityTypeBuilder<RoomBan> ban)
    {
        ban.HasKey(b => new { b.RoomId, b.UserId });
        ban.HasOne<Room>().WithMany().HasForeignKey(b => b.RoomId).OnDelete(DeleteBehavior.Cascade);
        ban.HasOne<User>().WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Restrict);
        ban.HasOne<User>().WithMany().HasForeignKey(b => b.BannedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RoomConfiguration : IEntityTypeConfiguration<Room>
{
    public void Configure(EntityTypeBuilder<Room> room)
    {
        room.Property(r => r.Name).HasMaxLength(Room.NameMaxLength).IsRequired();
        room.Property(r => r.Description).HasMaxLength(Room.DescriptionMaxLength).IsRequired();
        room.HasOne(r => r.CreatedBy).WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.Restrict);
        room.HasIndex(r => r.Visibility);
    }
}

internal sealed class RoomMemberConfiguration : IEntityTypeConfiguration<RoomMember>
{
    public void Configure(EntityTypeBuilder<RoomMember> member)
    {
        member.HasKey(m => new { m.RoomId, m.UserId });
        member.HasOne(m => m.Room).WithMany(r => r.Members).HasForeignKey(m => m.RoomId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        member.HasIndex(m => m.UserId);
    }
}

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> agent)
    {
        agent.Property(a => a.Name).HasMaxLength(Agent.NameMaxLength).IsRequired();
        agent.Property(a => a.Handle).HasMaxLength(Agent.HandleMaxLength).IsRequired();
        agent.Property(a => a.Emoji).HasMaxLength(Agent.EmojiMaxLength).IsRequired();
        agent.Property(a => a.Prompt).HasMaxLength(Agent.PromptMaxLength).IsRequired();
        agent.Property(a => a.Model).HasMaxLength(Agent.ModelMaxLength);
        agent.Property(a => a.Tools).HasMaxLength(Agent.ToolsMaxLength);
        agent.HasOne(a => a.CreatedBy).WithMany().HasForeignKey(a => a.CreatedById).OnDelete(DeleteBehavior.Restrict);
        agent.HasIndex(a => a.CreatedById);
    }
}

internal sealed class RoomAgentConfiguration : IEntityTypeConfiguration<RoomAgent>
{
    public void Configure(EntityTypeBuilder<RoomAgent> roomAgent)
    {
        roomAgent.HasKey(ra => new { ra.RoomId, ra.AgentId });
        roomAgent.Property(ra => ra.Handle).HasMaxLength(Agent.HandleMaxLength).IsRequired();
        roomAgent.HasIndex(ra => new { ra.RoomId, ra.Handle }).IsUnique();
        roomAgent.HasIndex(ra => ra.AgentId);
        roomAgent.HasOne(ra => ra.Room).WithMany(r => r.Agents).HasForeignKey(ra => ra.RoomId).OnDelete(DeleteBehavior.Cascade);
        roomAgent.HasOne(ra => ra.Agent).WithMany().HasForeignKey(ra => ra.AgentId).OnDelete(DeleteBehavior.Cascade);
        roomAgent.HasOne<User>().WithMany().HasForeignKey(ra => ra.AddedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> message)
    {
        // Unbounded in the database: people's messages are limited on input, agents' replies by Agents:MaxReplyCharacters.
        message.Property(m => m.Content).IsRequired();
        message.HasIndex(m => new { m.RoomId, m.Seq }).IsUnique();
        message.HasIndex(m => new { m.RoomId, m.SenderUserId, m.ClientMessageId }).IsUnique();
        message.HasOne(m => m.Room).WithMany().HasForeignKey(m => m.RoomId).OnDelete(DeleteBehavior.Cascade);
        message.HasOne(m => m.SenderUser).WithMany().HasForeignKey(m => m.SenderUserId).OnDelete(DeleteBehavior.Restrict);
        message.HasOne(m => m.SenderAgent).WithMany().HasForeignKey(m => m.SenderAgentId).OnDelete(DeleteBehavior.Restrict);
        message.HasIndex(m => m.SenderUserId);
        message.HasIndex(m => m.SenderAgentId);
        message.HasIndex(m => m.QuotedMessageId);
    }
}

internal sealed class MessageMentionConfiguration : IEntityTypeConfiguration<MessageMention>
{
    public void Configure(EntityTypeBuilder<MessageMention> mention)
    {
        mention.HasKey(m => new { m.MessageId, m.AgentId });
        mention.HasOne(m => m.Message).WithMany(m => m.Mentions).HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Cascade);
        mention.HasOne(m => m.Agent).WithMany().HasForeignKey(m => m.AgentId).OnDelete(DeleteBehavior.Cascade);
        mention.HasIndex(m => m.AgentId);
    }
}

internal sealed class AgentReplyConfiguration : IEntityTypeConfiguration<AgentReply>
{
    public void Configure(EntityTypeBuilder<AgentReply> reply)
    {
        reply.HasIndex(r => new { r.TriggerMessageId, r.AgentId }).IsUnique();
        reply.Property(r => r.Error).HasMaxLength(AgentReply.ErrorMaxLength);
        reply.Property(r => r.Unseen).HasMaxLength(AgentReply.UnseenMaxLength);
        reply.HasOne(r => r.TriggerMessage).WithMany().HasForeignKey(r => r.TriggerMessageId).OnDelete(DeleteBehavior.Cascade);
        reply.HasOne(r => r.Agent).WithMany().HasForeignKey(r => r.AgentId).OnDelete(DeleteBehavior.Cascade);
        reply.HasOne(r => r.ReplyMessage).WithMany().HasForeignKey(r => r.ReplyMessageId).OnDelete(DeleteBehavior.SetNull);
        reply.HasIndex(r => r.Status);
        reply.HasIndex(r => new { r.AgentId, r.CreatedAt });
        reply.HasIndex(r => r.ReplyMessageId);
        reply.Property(r => r.UsageModel).HasMaxLength(Agent.ModelMaxLength);
        reply.HasIndex(r => new { r.StartedById, r.CreatedAt });
        reply.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class FilePassageConfiguration : IEntityTypeConfiguration<FilePassage>
{
    public void Configure(EntityTypeBuilder<FilePassage> passage)
    {
        passage.HasOne<Attachment>().WithMany().HasForeignKey(p => p.AttachmentId).OnDelete(DeleteBehavior.Cascade);
        passage.HasIndex(p => new { p.AttachmentId, p.Page });
        passage.HasIndex(p => p.RoomId);
    }
}

internal sealed class RoomNoteConfiguration : IEntityTypeConfiguration<RoomNote>
{
    public void Configure(EntityTypeBuilder<RoomNote> note)
    {
        note.HasOne<Room>().WithMany().HasForeignKey(n => n.RoomId).OnDelete(DeleteBehavior.Cascade);
        note.HasOne<User>().WithMany().HasForeignKey(n => n.WrittenById).OnDelete(DeleteBehavior.SetNull);
        note.Property(n => n.Text).HasMaxLength(RoomNote.TextMaxLength).IsRequired();
        note.HasIndex(n => n.RoomId);
    }
}

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> schedule)
    {
        schedule.HasOne<Room>().WithMany().HasForeignKey(s => s.RoomId).OnDelete(DeleteBehavior.Cascade);
        schedule.HasOne<User>().WithMany().HasForeignKey(s => s.CreatedById).OnDelete(DeleteBehavior.Cascade);
        schedule.HasOne<Agent>().WithMany().HasForeignKey(s => s.AgentId).OnDelete(DeleteBehavior.Cascade);
        schedule.Property(s => s.Prompt).HasMaxLength(Schedule.PromptMaxLength).IsRequired();
        schedule.Property(s => s.Cron).HasMaxLength(Schedule.CronMaxLength).IsRequired();
        schedule.Property(s => s.TimeZone).HasMaxLength(Schedule.TimeZoneMaxLength).IsRequired();
        schedule.Property(s => s.Problem).HasMaxLength(Schedule.ProblemMaxLength);
        schedule.HasIndex(s => s.RoomId);
    }
}

internal sealed class ToolApprovalConfiguration : IEntityTypeConfiguration<ToolApproval>
{
    public void Configure(EntityTypeBuilder<ToolApproval> approval)
    {
        approval.HasOne<AgentReply>().WithMany().HasForeignKey(a => a.AgentReplyId).OnDelete(DeleteBehavior.Cascade);
        approval.HasOne<User>().WithMany().HasForeignKey(a => a.AskerId).OnDelete(DeleteBehavior.Cascade);
        approval.Property(a => a.Tool).HasMaxLength(ToolApproval.ToolMaxLength).IsRequired();
        approval.Property(a => a.Arguments).HasMaxLength(ToolApproval.ArgumentsMaxLength).IsRequired();
        approval.HasIndex(a => a.RoomId);
    }
}

internal sealed class PrivateAnswerConfiguration : IEntityTypeConfiguration<PrivateAnswer>
{
    public void Configure(EntityTypeBuilder<PrivateAnswer> answer)
    {
        answer.HasOne<Room>().WithMany().HasForeignKey(a => a.RoomId).OnDelete(DeleteBehavior.Cascade);
        answer.HasOne<User>().WithMany().HasForeignKey(a => a.AskerId).OnDelete(DeleteBehavior.Cascade);
        answer.HasOne<Agent>().WithMany().HasForeignKey(a => a.AgentId).OnDelete(DeleteBehavior.Cascade);
        answer.HasOne(a => a.SharedMessage).WithMany().HasForeignKey(a => a.SharedMessageId).OnDelete(DeleteBehavior.SetNull);
        answer.Property(a => a.Question).HasMaxLength(Message.ContentMaxLength).IsRequired();
        answer.Property(a => a.UsageModel).HasMaxLength(200);
        answer.HasIndex(a => new { a.AskerId, a.CreatedAt });
        answer.HasIndex(a => new { a.AgentId, a.CreatedAt });
    }
}

internal sealed class SavedMessageConfiguration : IEntityTypeConfiguration<SavedMessage>
{
    public void Configure(EntityTypeBuilder<SavedMessage> saved)
    {
        saved.HasKey(s => new { s.UserId, s.MessageId });
        saved.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        saved.HasOne(s => s.Message).WithMany().HasForeignKey(s => s.MessageId).OnDelete(DeleteBehavior.Cascade);
        saved.HasIndex(s => new { s.UserId, s.SavedAt });
    }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> webhook)
    {
        webhook.HasOne<Room>().WithMany().HasForeignKey(w => w.RoomId).OnDelete(DeleteBehavior.Cascade);
        webhook.HasOne(w => w.Integration).WithMany().HasForeignKey(w => w.IntegrationUserId).OnDelete(DeleteBehavior.Cascade);
        webhook.HasOne<User>().WithMany().HasForeignKey(w => w.CreatedById).OnDelete(DeleteBehavior.SetNull);
        webhook.Property(w => w.Name).HasMaxLength(User.DisplayNameMaxLength).IsRequired();
        webhook.Property(w => w.TokenHash).HasMaxLength(64).IsRequired();
        webhook.HasIndex(w => w.TokenHash).IsUnique();
    }
}

internal sealed class ToolRuleConfiguration : IEntityTypeConfiguration<ToolRule>
{
    public void Configure(EntityTypeBuilder<ToolRule> rule)
    {
        rule.HasKey(r => r.Tool);
        rule.Property(r => r.Tool).HasMaxLength(ToolRule.ToolMaxLength);
    }
}

internal sealed class EarlierAnswerConfiguration : IEntityTypeConfiguration<EarlierAnswer>
{
    public void Configure(EntityTypeBuilder<EarlierAnswer> answer)
    {
        answer.HasOne<Message>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        answer.HasIndex(a => new { a.MessageId, a.Number }).IsUnique();
    }
}

internal sealed class SummaryConfiguration : IEntityTypeConfiguration<Summary>
{
    public void Configure(EntityTypeBuilder<Summary> summary)
    {
        summary.HasOne(s => s.Room).WithMany().HasForeignKey(s => s.RoomId).OnDelete(DeleteBehavior.Cascade);
        summary.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        summary.Property(s => s.UsageModel).HasMaxLength(Agent.ModelMaxLength);
        summary.HasIndex(s => new { s.RoomId, s.Kind });
        summary.HasIndex(s => new { s.UserId, s.CreatedAt });
    }
}

internal sealed class SiteSettingsConfiguration : IEntityTypeConfiguration<Admin.SiteSettings>
{
    public void Configure(EntityTypeBuilder<Admin.SiteSettings> settings)
    {
        settings.Property(s => s.Id).ValueGeneratedNever();
        settings.Property(s => s.Name).HasMaxLength(Admin.SiteSettings.NameMaxLength).IsRequired();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<Admin.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Admin.AuditEntry> entry)
    {
        entry.Property(e => e.ActorId).HasMaxLength(450).IsRequired();
        entry.Property(e => e.ActorName).HasMaxLength(User.DisplayNameMaxLength).IsRequired();
        entry.Property(e => e.Action).HasMaxLength(Admin.AuditEntry.ActionMaxLength).IsRequired();
        entry.Property(e => e.Target).HasMaxLength(Admin.AuditEntry.TargetMaxLength).IsRequired();
        entry.Property(e => e.Detail).HasMaxLength(Admin.AuditEntry.DetailMaxLength);
        entry.HasIndex(e => e.At);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.Property(i => i.TokenHash).HasMaxLength(Invitation.TokenHashLength).IsFixedLength().IsRequired();
        invitation.HasIndex(i => i.TokenHash).IsUnique();
        invitation.HasOne(i => i.Room).WithMany().HasForeignKey(i => i.RoomId).OnDelete(DeleteBehavior.Cascade);
        invitation.HasOne(i => i.CreatedBy).WithMany().HasForeignKey(i => i.CreatedById).OnDelete(DeleteBehavior.Restrict);
        invitation.HasIndex(i => i.RoomId);
    }
}

internal sealed class ReactionConfiguration : IEntityTypeConfiguration<Reaction>
{
    public void Configure(EntityTypeBuilder<Reaction> reaction)
    {
        // Bytes enough for 16 text elements of several code points each (flags, families, skin tones).
        reaction.Property(r => r.Text).HasMaxLength(128);
        reaction.HasKey(r => new { r.MessageId, r.UserId, r.Text });
        reaction.HasOne(r => r.Message).WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        reaction.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonMentionConfiguration : IEntityTypeConfiguration<PersonMention>
{
    public void Configure(EntityTypeBuilder<PersonMention> mention)
    {
        mention.HasKey(m => new { m.MessageId, m.UserId });
        mention.HasIndex(m => new { m.UserId, m.RoomId, m.Seq });
        mention.HasIndex(m => new { m.UserId, m.MessageId });
        mention.HasOne(m => m.Message).WithMany().HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.Cascade);
        mention.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> attachment)
    {
        attachment.HasIndex(a => a.Key).IsUnique();
        attachment.Property(a => a.FileName).HasMaxLength(Attachment.FileNameMaxLength).IsRequired();
        attachment.Property(a => a.ContentType).HasMaxLength(Attachment.ContentTypeMaxLength).IsRequired();
        attachment.HasOne(a => a.Room).WithMany().HasForeignKey(a => a.RoomId).OnDelete(DeleteBehavior.Cascade);
        attachment.HasOne(a => a.Uploader).WithMany().HasForeignKey(a => a.UploaderId).OnDelete(DeleteBehavior.Cascade);
        attachment.HasOne(a => a.Message).WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        // A message's files; pending ones past their time (the sweep); a person's uploads of the last day (the quota).
        attachment.HasIndex(a => new { a.MessageId, a.CreatedAt });
        attachment.HasIndex(a => new { a.UploaderId, a.CreatedAt });
        attachment.HasIndex(a => a.TextReadAt); // files whose text is still to be read
    }
}

internal sealed class PushSubscriptionConfiguration : IEntityTypeConfiguration<PushSubscription>
{
    public void Configure(EntityTypeBuilder<PushSubscription> subscription)
    {
        subscription.Property(s => s.Endpoint).HasMaxLength(PushSubscription.EndpointMaxLength).IsRequired();
        subscription.Property(s => s.EndpointHash).HasMaxLength(64).IsFixedLength().IsRequired();
        subscription.HasIndex(s => s.EndpointHash).IsUnique();
        subscription.Property(s => s.P256dh).HasMaxLength(PushSubscription.KeyMaxLength).IsRequired();
        subscription.Property(s => s.Auth).HasMaxLength(PushSubscription.KeyMaxLength).IsRequired();
        subscription.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        subscription.HasIndex(s => s.UserId);
        subscription.Property(s => s.SessionId).HasMaxLength(RevokedSession.IdLength).IsFixedLength();
        subscription.HasIndex(s => s.SessionId);
    }
}

internal sealed class SiteKeyConfiguration : IEntityTypeConfiguration<SiteKey>
{
    public void Configure(EntityTypeBuilder<SiteKey> key)
    {
        key.HasKey(k => k.Name);
        key.Property(k => k.Name).HasMaxLength(SiteKey.NameMaxLength);
        key.Property(k => k.Value).HasMaxLength(SiteKey.ValueMaxLength).IsRequired();
    }
}
