using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRooms.Data;

/// <summary>
/// Settings SQLite keeps per connection, applied once to each physical connection the pool opens
/// (not on every request's open). In WAL mode <c>synchronous=NORMAL</c> loses nothing when the app
/// crashes (only the last commits before a power loss or OS crash), and saves an fsync per commit.
/// <c>busy_timeout</c> lets SQLite wait for the write lock itself, in short steps, instead of the
/// driver's 150 ms sleeps between retries.
/// </summary>
public sealed class SqliteTuning : DbConnectionInterceptor
{
    public static readonly SqliteTuning Instance = new();
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    /// <summary>The native handles already tuned; an entry goes when its handle is collected.</summary>
    private readonly ConditionalWeakTable<object, object> tuned = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || tuned.TryAdd(handle, handle);
}
