using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRooms.Data;

/// <summary>
/// Settings SQLite keeps per connection, applied whenever one opens. In WAL mode
/// <c>synchronous=NORMAL</c> loses nothing when the app crashes (only the last commits before a
/// power loss or OS crash), and saves an fsync per commit. <c>busy_timeout</c> lets SQLite wait for
/// the write lock itself, in short steps, instead of the driver's 150 ms sleeps between retries.
/// </summary>
public sealed class SqliteTuning : DbConnectionInterceptor
{
    public static readonly SqliteTuning Instance = new();
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
