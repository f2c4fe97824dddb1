using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Search;

/// <summary>What to look for, already narrowed to what the person may read: every room they are in now, or those of them named.</summary>
public sealed record SearchRequest(
    string UserId,
    IReadOnlyList<IReadOnlyList<string>> Terms,
    IReadOnlyList<int>? RoomIds,
    IReadOnlyList<string>? AuthorIds,
    IReadOnlyList<int>? AgentIds,
    long? BeforeId,
    int Limit);

/// <summary>
/// The database's own full-text index, one implementation per provider: the ids of matching messages,
/// newest first, only from rooms the person is a member of at this moment, never deleted ones nor
/// lines like "Ada joined".
/// </summary>
public interface IMessageSearch
{
    Task<List<long>> Find(SearchRequest request, CancellationToken cancel);
}

/// <summary>SQLite's FTS5 table MessageSearch (Porter stemming; kept in step by triggers, see the migration).</summary>
public sealed class SqliteMessageSearch(AppDbContext db) : IMessageSearch
{
    public Task<List<long>> Find(SearchRequest request, CancellationToken cancel)
    {
        var sql = new SearchSql();
        // Each term a quoted string of tokens (a phrase when several); terms side by side must all match.
        var match = string.Join(' ', request.Terms.Select(t => "\"" + string.Join(' ', t) + "\""));
        sql.Where($"\"MessageSearch\" MATCH {sql.Add(match)}");
        return sql.Ids(db, """SELECT m."Id" AS "Value" FROM "MessageSearch" s JOIN "Messages" m ON m."Id" = s.rowid""",
            """ORDER BY s.rowid DESC""", request, quote: '"', cancel);
    }
}

/// <summary>
/// MySQL's and MariaDB's InnoDB FULLTEXT index, in boolean mode. InnoDB leaves out words shorter than
/// three letters and its stopwords ("the", "with"…), so those terms are matched with a pattern instead.
/// </summary>
public sealed class MySqlMessageSearch(AppDbContext db, int recentWindow = MySqlMessageSearch.RecentWindow) : IMessageSearch
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "about", "an", "are", "as", "at", "be", "by", "com", "de", "en", "for", "from", "how", "i", "in", "is",
        "it", "la", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where", "who", "will",
        "with", "und", "www",
    ];

    /// <summary>How many of the newest messages are read through before the full-text index is asked (<c>Search:RecentWindow</c>).</summary>
    public const int RecentWindow = 5000;

    /// <summary>
    /// InnoDB's index returns every match before it can sort them newest first: a word in a third of
    /// 100,000 messages costs a third of 100,000 rows. So the newest messages are read first, newest
    /// first, with a whole-word pattern per term, which stops as soon as a page is full; only what is
    /// still missing is asked of the index, below that window.
    /// </summary>
    public async Task<List<long>> Find(SearchRequest request, CancellationToken cancel)
    {
        var upper = request.BeforeId ?? await db.Messages.MaxAsync(m => (long?)m.Id, cancel) + 1 ?? 0;
        var floor = upper - recentWindow;

        var unicode = await Unicode(cancel);
        var recent = new SearchSql();
        foreach (var term in request.Terms)
            recent.Where($"m.`Content` REGEXP {recent.Add(WholeWords(term, unicode))}");
        recent.Where($"m.`Id` >= {recent.Add(floor)}");
        var found = await recent.Ids(db, "SELECT m.`Id` AS `Value` FROM `Messages` m", "ORDER BY m.`Id` DESC", request, quote: '`', cancel);
        if (found.Count >= request.Limit || floor <= 0)
            return found;

        var sql = new SearchSql();
        var indexed = new List<string>();
        foreach (var term in request.Terms)
        {
            if (term.All(t => t.Length >= 3 && !StopWords.Contains(t)))
                indexed.Add(term.Count == 1 ? "+" + term[0] : "+\"" + string.Join(' ', term) + "\"");
            else
                sql.Where($"m.`Content` REGEXP {sql.Add(WholeWords(term, unicode))}");
        }
        if (indexed.Count > 0)
            sql.Where($"MATCH(m.`Content`) AGAINST ({sql.Add(string.Join(' ', indexed))} IN BOOLEAN MODE)");
        sql.Where($"m.`Id` < {sql.Add(floor)}");
        var older = await sql.Ids(db, "SELECT m.`Id` AS `Value` FROM `Messages` m", "ORDER BY m.`Id` DESC",
            request with { Limit = request.Limit - found.Count }, quote: '`', cancel);
        return [.. found, .. older];
    }

    /// <summary>
    /// The term's tokens as whole words in a row (any non-letters between them), in any case. Tokens are
    /// letters and digits only. <paramref name="unicode"/>: the pattern asks for Unicode word
    /// boundaries (MariaDB's PCRE needs asking; MySQL's ICU has them and does not know the switch).
    /// </summary>
    private static string WholeWords(IReadOnlyList<string> term, string unicode) => unicode + "(?i)\\b" + string.Join("\\W+", term) + "\\b";

    private static string? unicodeSwitch;

    private async Task<string> Unicode(CancellationToken cancel)
    {
        if (unicodeSwitch is { } known)
            return known;
        await db.Database.OpenConnectionAsync(cancel);
        try
        {
            var version = ((MySqlConnector.MySqlConnection)db.Database.GetDbConnection()).ServerVersion;
            return unicodeSwitch = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? "(*UCP)" : "";
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>The parts both providers' queries share: access, filters, paging; every value a parameter.</summary>
internal sealed class SearchSql
{
    private readonly List<string> conditions = [];
    private readonly List<object> values = [];

    public string Add(object value)
    {
        values.Add(value);
        return "{" + (values.Count - 1) + "}";
    }

    public void Where(string condition) => conditions.Add(condition);

    public Task<List<long>> Ids(AppDbContext db, string select, string order, SearchRequest request, char quote, CancellationToken cancel)
    {
        string Name(string name) => quote + name + quote;
        var room = $"m.{Name("RoomId")}";
        Where($"{room} IN (SELECT {Name("RoomId")} FROM {Name("RoomMembers")} WHERE {Name("UserId")} = {Add(request.UserId)})");
        Where($"m.{Name("Kind")} <> 2 AND m.{Name("DeletedAt")} IS NULL");
        if (request.RoomIds is { } rooms)
            Where(rooms.Count == 0 ? "1 = 0" : $"{room} IN ({string.Join(", ", rooms.Select(r => Add(r)))})");
        if (request.AuthorIds is not null || request.AgentIds is not null)
        {
            var authors = request.AuthorIds is { Count: > 0 } people
                ? $"m.{Name("SenderUserId")} IN ({string.Join(", ", people.Select(p => Add(p)))})" : "1 = 0";
            var agents = request.AgentIds is { Count: > 0 } bots
                ? $"m.{Name("SenderAgentId")} IN ({string.Join(", ", bots.Select(a => Add(a)))})" : "1 = 0";
            Where($"({authors} OR {agents})");
        }
        if (request.BeforeId is { } before)
            Where($"m.{Name("Id")} < {Add(before)}");
        var sql = $"{select} WHERE {string.Join(" AND ", conditions)} {order} LIMIT {Add(request.Limit)}";
        return db.Database.SqlQueryRaw<long>(sql, values.ToArray()).ToListAsync(cancel);
    }
}
