using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Pages.Messages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Search;

/// <summary>One message found: where, who, when, and its HTML with the searched words marked.</summary>
public sealed record SearchHit(long Id, int RoomId, string RoomName, string AuthorName, string? AgentEmoji, string SenderKey, string Html, DateTime CreatedAt)
{
    /// <summary>The messages of <paramref name="ids"/>, in that order, ready to list; <paramref name="tokens"/> are marked in them.</summary>
    public static async Task<List<SearchHit>> Load(AppDbContext db, MarkdownRenderer markdown, IReadOnlyList<long> ids, IReadOnlyCollection<string> tokens,
        CancellationToken cancel)
    {
        var rows = await db.Messages.Where(m => ids.Contains(m.Id)).Select(m => new
        {
            m.Id, m.RoomId, RoomName = m.Room!.Name, m.SenderUserId, m.SenderAgentId, m.ContentHtml, m.CreatedAt,
            Content = m.ContentHtml == null ? m.Content : null,
            UserName = m.SenderUser != null ? m.SenderUser.DisplayName : null,
            AgentName = m.SenderAgent != null ? m.SenderAgent.Name : null,
            AgentEmoji = m.SenderAgent != null ? m.SenderAgent.Emoji : null,
        }).AsNoTracking().ToDictionaryAsync(r => r.Id, cancel);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).Select(r => new SearchHit(
            r.Id, r.RoomId, r.RoomName, r.UserName ?? r.AgentName ?? "AgentRooms", r.AgentEmoji,
            r.SenderUserId ?? $"agent-{r.SenderAgentId}",
            Highlight.Mark(r.ContentHtml ?? markdown.ToHtml(r.Content!), tokens), r.CreatedAt)).ToList();
    }
}

public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, long? OlderThan, IReadOnlyList<string> Notes)
{
    public static readonly SearchResults None = new([], null, []);
}

/// <summary>
/// Runs a search for one person: resolves <c>in:</c> and <c>from:</c> against what they can see, asks
/// the full-text index (or, with filters alone, the messages table) for the newest matches, and reads
/// them ready to show.
/// </summary>
public sealed class Searching(AppDbContext db, IMessageSearch index, MarkdownRenderer markdown)
{
    public const int PageSize = 20;
    private const int MaxNamed = 50;

    public async Task<SearchResults> Run(string userId, SearchQuery query, int? roomId, long? before, CancellationToken cancel)
    {
        if (query.IsEmpty && roomId is null)
            return SearchResults.None;
        var notes = new List<string>();
        IReadOnlyList<int>? rooms = roomId is { } only ? [only] : null;
        if (query.InRoom is { } roomName)
        {
            rooms = await RoomsNamed(userId, roomName, rooms, cancel);
            if (rooms.Count == 0)
                notes.Add($"None of your rooms is called “{roomName}”.");
        }
        IReadOnlyList<string>? people = null;
        IReadOnlyList<int>? agents = null;
        if (query.From is { } from)
        {
            (people, agents) = await AuthorsNamed(from, cancel);
            if (people.Count == 0 && agents.Count == 0)
                notes.Add($"Nobody and no agent is called “{from}”.");
        }
        if (notes.Count > 0)
            return new SearchResults([], null, notes);

        var request = new SearchRequest(userId, query.Terms, rooms, people, agents, before, PageSize + 1);
        var ids = query.Terms.Count > 0 ? await index.Find(request, cancel) : await Newest(request, cancel);
        var olderThan = ids.Count > PageSize ? ids[PageSize - 1] : (long?)null;
        if (ids.Count > PageSize)
            ids.RemoveAt(PageSize);
        return new SearchResults(await SearchHit.Load(db, markdown, ids, query.Tokens.ToList(), cancel), olderThan, notes);
    }

    /// <summary>Filters without words: the newest messages that pass them, from the messages table.</summary>
    private Task<List<long>> Newest(SearchRequest request, CancellationToken cancel)
    {
        var messages = db.Messages.Where(m => m.Kind != MessageKind.System && m.DeletedAt == null
            && db.RoomMembers.Any(member => member.RoomId == m.RoomId && member.UserId == request.UserId));
        if (request.RoomIds is { } rooms)
            messages = messages.Where(m => rooms.Contains(m.RoomId));
        if (request.AuthorIds is { } people && request.AgentIds is { } agents)
            messages = messages.Where(m => people.Contains(m.SenderUserId!) || agents.Contains(m.SenderAgentId!.Value));
        if (request.BeforeId is { } before)
            messages = messages.Where(m => m.Id < before);
        return messages.OrderByDescending(m => m.Id).Select(m => m.Id).Take(request.Limit).ToListAsync(cancel);
    }

    /// <summary>Rooms of the person's called that (any case), or failing that whose name starts so.</summary>
    private async Task<IReadOnlyList<int>> RoomsNamed(string userId, string name, IReadOnlyList<int>? within, CancellationToken cancel)
    {
        var mine = db.RoomMembers.Where(m => m.UserId == userId).Select(m => m.Room!);
        if (within is not null)
            mine = mine.Where(r => within.Contains(r.Id));
        var exact = await mine.Where(r => EF.Functions.Like(r.Name, Escape(name), "\\")).Select(r => r.Id).Take(MaxNamed).ToListAsync(cancel);
        return exact.Count > 0 ? exact
            : await mine.Where(r => EF.Functions.Like(r.Name, Escape(name) + "%", "\\")).Select(r => r.Id).Take(MaxNamed).ToListAsync(cancel);
    }

    /// <summary>People whose display name starts with it; agents with that handle (with or without its @) or whose name starts with it.</summary>
    private async Task<(IReadOnlyList<string>, IReadOnlyList<int>)> AuthorsNamed(string name, CancellationToken cancel)
    {
        var pattern = Escape(name.TrimStart('@')) + "%";
        var handle = name.TrimStart('@').ToLowerInvariant();
        var people = await db.Users.Where(u => EF.Functions.Like(u.DisplayName, pattern, "\\")).Select(u => u.Id).Take(MaxNamed).ToListAsync(cancel);
        var agents = await db.Agents.Where(a => a.Handle == handle || EF.Functions.Like(a.Name, pattern, "\\")).Select(a => a.Id).Take(MaxNamed).ToListAsync(cancel);
        return (people, agents);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
