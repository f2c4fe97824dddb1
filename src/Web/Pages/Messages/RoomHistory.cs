using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Pages.Reactions;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>Reads a room's messages ready to render (their HTML was made when they were saved), for pages, catch-up and pushes alike.</summary>
public sealed class RoomHistory(AppDbContext db, MarkdownRenderer markdown)
{
    public const int PageSize = 50;

    /// <summary>The newest <see cref="PageSize"/> messages before <paramref name="beforeSeq"/> (or the newest of all), oldest first.</summary>
    public async Task<IReadOnlyList<ShownMessage>> Page(int roomId, long? beforeSeq, CancellationToken cancel = default)
    {
        var query = db.Messages.Where(m => m.RoomId == roomId);
        if (beforeSeq is { } before)
            query = query.Where(m => m.Seq < before);
        var newestFirst = await Shown(query.OrderByDescending(m => m.Seq).Take(PageSize), cancel);
        return newestFirst.AsEnumerable().Reverse().ToList();
    }

    /// <summary>Messages with Seq in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>], in order, at most <paramref name="limit"/>.</summary>
    public Task<List<ShownMessage>> After(int roomId, long afterSeq, long throughSeq, int limit, CancellationToken cancel = default) =>
        Shown(db.Messages.Where(m => m.RoomId == roomId && m.Seq > afterSeq && m.Seq <= throughSeq).OrderBy(m => m.Seq).Take(limit), cancel);

    /// <summary>Messages from <paramref name="sinceSeq"/> on that may have changed since they were posted: edited, deleted or reacted to.</summary>
    public Task<List<ShownMessage>> Changed(int roomId, long sinceSeq, long throughSeq, CancellationToken cancel = default) =>
        Shown(db.Messages.Where(m => m.RoomId == roomId && m.Seq >= sinceSeq && m.Seq <= throughSeq
            && (m.EditedAt != null || m.DeletedAt != null || db.Reactions.Any(r => r.MessageId == m.Id))).OrderBy(m => m.Seq).Take(500), cancel);

    public async Task<ShownMessage?> One(int roomId, long messageId, CancellationToken cancel = default) =>
        (await Shown(db.Messages.Where(m => m.RoomId == roomId && m.Id == messageId), cancel)).SingleOrDefault();

    /// <summary>An agent's reply showing one of its earlier answers (Regenerate kept them), or as it stands.</summary>
    public async Task<ShownMessage?> One(int roomId, long messageId, int answer, CancellationToken cancel = default)
    {
        if (await One(roomId, messageId, cancel) is not { Answers: { } answers, Deleted: false } shown || answer < 1 || answer >= answers.Count)
            return await One(roomId, messageId, cancel);
        var html = await db.EarlierAnswers.Where(a => a.MessageId == messageId && a.Number == answer).Select(a => a.ContentHtml).SingleAsync(cancel);
        return shown with { BodyHtml = html, Answers = answers with { Number = answer }, Steps = null, Unseen = null };
    }

    /// <summary>A message as a reply would quote it, if it may be quoted (it stands, in this room, and is not a line like "Ada joined").</summary>
    public async Task<QuoteShown?> QuoteOf(int roomId, long messageId, CancellationToken cancel = default) =>
        await db.Messages.Where(q => q.Id == messageId && q.RoomId == roomId && q.Kind != MessageKind.System && q.DeletedAt == null)
            .Select(q => new
            {
                q.Id,
                Author = q.SenderUser != null ? q.SenderUser.DisplayName : q.SenderAgent != null ? q.SenderAgent.Name : "AgentRooms",
                Start = q.Content.Substring(0, 300),
            }).FirstOrDefaultAsync(cancel) is { } quote
            ? new QuoteShown(quote.Id, roomId, quote.Author, QuoteShown.ExcerptOf(quote.Start), Deleted: false)
            : null;

    private async Task<List<ShownMessage>> Shown(IQueryable<Message> messages, CancellationToken cancel)
    {
        var rows = await messages.Select(m => new
        {
            m.Id, m.RoomId, m.Seq, m.Kind, m.SenderUserId, m.ContentHtml, m.CreatedAt, m.EditedAt, m.DeletedAt, m.ReplyState, m.ClientMessageId, m.SenderAgentId, m.PinnedAt,
            // Only for a row written without its HTML (by an earlier version, until StoredHtmlBackfill reaches it).
            Content = m.ContentHtml == null ? m.Content : null,
            EarlierAnswers = m.Kind == MessageKind.Agent ? db.EarlierAnswers.Count(a => a.MessageId == m.Id) : 0,
            UserName = m.SenderUser != null ? m.SenderUser.DisplayName : null,
            Integration = m.SenderUser != null && m.SenderUser.IsIntegration,
            AgentName = m.SenderAgent != null ? m.SenderAgent.Name : null,
            AgentEmoji = m.SenderAgent != null ? m.SenderAgent.Emoji : null,
            Quote = m.QuotedMessageId == null ? null : db.Messages.Where(q => q.Id == m.QuotedMessageId).Select(q => new
            {
                q.Id,
                Author = q.SenderUser != null ? q.SenderUser.DisplayName : q.SenderAgent != null ? q.SenderAgent.Name : "AgentRooms",
                Start = q.Content.Substring(0, 300),
                Deleted = q.DeletedAt != null,
            }).FirstOrDefault(),
            Reply = m.Kind == MessageKind.Agent
                ? db.AgentReplies.Where(r => r.ReplyMessageId == m.Id).Select(r => new
                {
                    AskedById = r.TriggerMessage!.SenderUserId, r.InputTokens, r.OutputTokens, r.UsageModel, r.TokensEstimated, r.ToolSteps, r.Unseen, r.ContextUsed,
                }).FirstOrDefault()
                : null,
        }).AsNoTracking().ToListAsync(cancel);
        var standing = rows.Where(r => r.DeletedAt is null).Select(r => r.Id).ToList();
        var reactions = await ReactionShown.Of(db, standing, cancel);
        var files = await AttachmentShown.Of(db, standing, cancel);

        return rows.Select(r => new ShownMessage(
            r.Id, r.RoomId, r.Seq, r.Kind, r.SenderUserId,
            r.UserName ?? r.AgentName ?? "AgentRooms",
            r.AgentEmoji,
            r.DeletedAt is null ? r.ContentHtml ?? markdown.ToHtml(r.Content!) : "",
            // An agent's reply changes only by being answered again, which is no edit: its earlier answers stay.
            r.CreatedAt, r.EditedAt is not null && r.Kind != MessageKind.Agent, r.DeletedAt is not null, r.ReplyState, r.ClientMessageId, r.SenderAgentId, r.Reply?.AskedById,
            reactions.GetValueOrDefault(r.Id),
            r.Quote is { } quote ? new QuoteShown(quote.Id, r.RoomId, quote.Author, QuoteShown.ExcerptOf(quote.Start), quote.Deleted) : null,
            files.GetValueOrDefault(r.Id),
            r.Reply is { } reply && reply.InputTokens + reply.OutputTokens > 0
                ? new ReplyUsage(reply.InputTokens, reply.OutputTokens, reply.UsageModel, reply.TokensEstimated) : null,
            ToolStep.Read(r.Reply?.ToolSteps),
            r.Reply?.Unseen,
            r.EarlierAnswers > 0 && r.DeletedAt is null ? new AnswersShown(r.EarlierAnswers + 1, r.EarlierAnswers + 1) : null,
            ContextUsed.Read(r.Reply?.ContextUsed),
            r.PinnedAt is not null && r.DeletedAt is null,
            r.Integration)).ToList();
    }
}
