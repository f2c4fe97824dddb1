using AgentRooms.Data;
using Microsoft.Data.Sqlite;

namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// <c>backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c> on the command line, with the app's own settings
/// (so the same database). A backup is SQLite's <c>VACUUM INTO</c>: one consistent copy, made while the
/// app runs and writes. A restore checks the copy first, then writes it over the database with SQLite's
/// backup API; stop the app before restoring. MySQL and MariaDB have their own tools (README).
/// </summary>
public static class DataCommands
{
    /// <summary>The exit code when <paramref name="args"/> is a command, else null (run the app).</summary>
    public static async Task<int?> Run(string[] args)
    {
        if (args is not [("backup" or "restore") and var command, ..])
            return null;
        if (args.Length < 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            Console.Error.WriteLine($"Usage: dotnet run --project src/Web -- {command} <file>");
            return 2;
        }
        var builder = WebApplication.CreateBuilder(args[2..]);
        if (builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite) != DatabaseProvider.Sqlite)
        {
            Console.Error.WriteLine("backup and restore are for SQLite. For MySQL or MariaDB use mysqldump --single-transaction (see the README).");
            return 2;
        }
        var file = Path.GetFullPath(args[1]);
        var database = DataSetup.SqliteConnectionString(builder);
        try
        {
            return command == "backup" ? await Backup(database, file) : await Restore(database, file);
        }
        catch (SqliteException error)
        {
            Console.Error.WriteLine($"{command} failed: {error.Message}" + (command == "restore" ? " The database was left as it was: nothing was restored." : ""));
            return 1;
        }
    }

    private static async Task<int> Backup(string database, string file)
    {
        if (File.Exists(file))
        {
            Console.Error.WriteLine($"{file} exists already; name a new file.");
            return 2;
        }
        await using var connection = new SqliteConnection(database);
        await connection.OpenAsync();
        await using var vacuum = connection.CreateCommand();
        vacuum.CommandText = "VACUUM INTO $file";
        vacuum.Parameters.AddWithValue("$file", file);
        await vacuum.ExecuteNonQueryAsync();
        Console.WriteLine($"Backed up {connection.DataSource} to {file} ({new FileInfo(file).Length:N0} bytes).");
        return 0;
    }

    private static async Task<int> Restore(string database, string file)
    {
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"{file} does not exist.");
            return 2;
        }
        await using var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await backup.OpenAsync();
        await using (var check = backup.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync() is not "ok")
            {
                Console.Error.WriteLine($"{file} is not a sound database; nothing was restored.");
                return 1;
            }
        }
        await using var target = new SqliteConnection(database);
        await target.OpenAsync();
        backup.BackupDatabase(target);
        Console.WriteLine($"Restored {file} into {target.DataSource}.");
        return 0;
    }
}
