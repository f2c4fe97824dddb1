using System.Net;
using AgentRooms.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Pages.Account;

public sealed class FirstAccountTestsOnSqlite(SqliteAppFactory app) : FirstAccountTests(app), IClassFixture<SqliteAppFactory>;

public sealed class FirstAccountTestsOnMariaDb(MariaDbAppFactory app) : FirstAccountTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>A fresh installation (its own database, no account yet) that several people find at once.</summary>
public abstract class FirstAccountTests(AppFactory app)
{
    [Fact]
    public async Task Of_many_first_registrations_at_once_exactly_one_becomes_site_administrator()
    {
        var visitors = Enumerable.Range(0, 8).Select(_ => app.NewVisitor()).ToList();

        var registered = await Task.WhenAll(visitors.Select((v, i) => v.Register(People.NewEmail($"rush{i}"), $"Rush {i}")));

        Assert.All(registered, r => Assert.Equal(HttpStatusCode.Redirect, r.Status));
        Assert.Equal(8, await app.WithDb(db => db.Users.CountAsync()));
        Assert.Equal(1, await app.WithDb(db => db.Users.CountAsync(u => u.IsSiteAdmin)));
        visitors.ForEach(v => v.Dispose());
    }
}
