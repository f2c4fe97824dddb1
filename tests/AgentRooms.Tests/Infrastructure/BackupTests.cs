using System.Net;
using AgentRooms.Tests.Shared;
using AgentRooms.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>
/// <c>backup</c> makes a consistent copy of the SQLite database while the app runs and people post;
/// <c>restore</c> puts a copy in place of a database, and the app runs on it with everything there.
/// </summary>
public sealed class BackupTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task A_backup_made_while_people_post_restores_into_a_database_the_app_runs_on()
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated before the process shares it
        using var running = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, app.HangfirePath);
        using var person = Visitor.At(running.BaseUrl, new CookieContainer());
        var email = People.NewEmail("backup");
        Assert.Equal(HttpStatusCode.Redirect, (await person.Register(email, "Backed Up")).Status);
        var roomId = await person.CreateRoom("Kept safe");
        for (var i = 1; i <= 10; i++)
            await person.Send(roomId, $"Kept message {i}");

        // Posting goes on while the backup is made.
        using var stop = new CancellationTokenSource();
        var posting = Task.Run(async () =>
        {
            for (var i = 11; !stop.IsCancellationRequested; i++)
                await person.Send(roomId, $"Kept message {i}");
        });
        var folder = Directory.CreateTempSubdirectory("agentrooms-backup").FullName;
        var copy = Path.Combine(folder, "copy.db");
        var (backedUp, said) = await AppProcess.Command("Sqlite", app.ConnectionString, "backup", copy);
        stop.Cancel();
        await posting;
        Assert.True(backedUp == 0, said);
        Assert.Contains("Backed up", said);

        await using (var opened = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False"))
        {
            await opened.OpenAsync();
            Assert.Equal("ok", await Scalar(opened, "PRAGMA integrity_check"));
            Assert.True(Convert.ToInt64(await Scalar(opened, $"SELECT COUNT(*) FROM Messages WHERE RoomId = {roomId} AND Content LIKE 'Kept message %'")) >= 10);
        }
        var (again, refusal) = await AppProcess.Command("Sqlite", app.ConnectionString, "backup", copy);
        Assert.Equal(2, again);
        Assert.Contains("exists already", refusal);

        // Restored into a new database, the app starts on it and the person finds their room.
        var restored = $"Data Source={Path.Combine(folder, "restored.db")};Pooling=False";
        var (done, restoring) = await AppProcess.Command("Sqlite", restored, "restore", copy);
        Assert.True(done == 0, restoring);
        using var second = await AppProcess.Start(AppProcess.FreePort(), "Sqlite", restored, Path.Combine(folder, "hangfire.db"));
        using var returning = Visitor.At(second.BaseUrl, new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await returning.SignIn(email)).Status);
        var page = await returning.Get($"/rooms/{roomId}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Kept message 10", page.Text);

        var garbage = Path.Combine(folder, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database at all, just text that is long enough to look like a file of some size");
        var (refused, why) = await AppProcess.Command("Sqlite", restored, "restore", garbage);
        Assert.Equal(1, refused);
        Assert.Contains("nothing was restored", why);
        Assert.Contains("Kept message 10", (await returning.Get($"/rooms/{roomId}")).Text);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
