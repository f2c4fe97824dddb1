using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Knowledge;

/// <summary>
/// What an agent finds in one room: its messages and its files' passages that match any of the words,
/// best first (SQLite's FTS5 rank, InnoDB's FULLTEXT relevance), never a deleted message or a deleted
/// message's file. Words are letters and digits only (<see cref="Search.SearchQuery.Tokenize"/>), each
/// passed as a parameter: nothing a model writes reaches a query's syntax.
/// </summary>
public sealed class RoomSearch(AppDbContext db)
{
    /// <param name="onlyAgentId">When set, no agent's messages but this one's (the room keeps other agents' replies out).</param>
    public Task<List<long>> Messages(int roomId, IReadOnlyList<string> words, int? onlyAgentId, int limit, CancellationToken cancel) =>
        db.Database.IsMySql()
            ? Ids("""
                SELECT m.`Id` AS `Value` FROM `Messages` m
                WHERE MATCH(m.`Content`) AGAINST ({0} IN NATURAL LANGUAGE MODE) AND m.`RoomId` = {1} AND m.`Kind` <> 2 AND m.`DeletedAt` IS NULL
                  AND ({3} = 0 OR m.`SenderAgentId` IS NULL OR m.`SenderAgentId` = {3})
                ORDER BY MATCH(m.`Content`) AGAINST ({0} IN NATURAL LANGUAGE MODE) DESC, m.`Id` DESC LIMIT {2}
                """, string.Join(' ', words), roomId, limit, onlyAgentId ?? 0, cancel)
            : Ids("""
                SELECT m."Id" AS "Value" FROM "MessageSearch" s JOIN "Messages" m ON m."Id" = s.rowid
                WHERE "MessageSearch" MATCH {0} AND m."RoomId" = {1} AND m."Kind" <> 2 AND m."DeletedAt" IS NULL
                  AND ({3} = 0 OR m."SenderAgentId" IS NULL OR m."SenderAgentId" = {3})
                ORDER BY s.rank, m."Id" DESC LIMIT {2}
                """, AnyOf(words), roomId, limit, onlyAgentId ?? 0, cancel);

    public Task<List<long>> Passages(int roomId, IReadOnlyList<string> words, int limit, CancellationToken cancel) =>
        db.Database.IsMySql()
            ? Ids("""
                SELECT p.`Id` AS `Value` FROM `FilePassages` p JOIN `Attachments` a ON a.`Id` = p.`AttachmentId` JOIN `Messages` m ON m.`Id` = a.`MessageId`
                WHERE MATCH(p.`Text`) AGAINST ({0} IN NATURAL LANGUAGE MODE) AND p.`RoomId` = {1} AND m.`DeletedAt` IS NULL
                ORDER BY MATCH(p.`Text`) AGAINST ({0} IN NATURAL LANGUAGE MODE) DESC, p.`Id` LIMIT {2}
                """, string.Join(' ', words), roomId, limit, 0, cancel)
            : Ids("""
                SELECT p."Id" AS "Value" FROM "PassageSearch" s JOIN "FilePassages" p ON p."Id" = s.rowid
                JOIN "Attachments" a ON a."Id" = p."AttachmentId" JOIN "Messages" m ON m."Id" = a."MessageId"
                WHERE "PassageSearch" MATCH {0} AND p."RoomId" = {1} AND m."DeletedAt" IS NULL
                ORDER BY s.rank, p."Id" LIMIT {2}
                """, AnyOf(words), roomId, limit, 0, cancel);

    /// <summary>An FTS5 query matching any of the words, each quoted.</summary>
    private static string AnyOf(IReadOnlyList<string> words) => string.Join(" OR ", words.Select(w => "\"" + w + "\""));

    private Task<List<long>> Ids(string sql, string match, int roomId, int limit, int agentId, CancellationToken cancel) =>
        match.Length == 0 ? Task.FromResult(new List<long>()) : db.Database.SqlQueryRaw<long>(sql, match, roomId, limit, agentId).ToListAsync(cancel);
}
