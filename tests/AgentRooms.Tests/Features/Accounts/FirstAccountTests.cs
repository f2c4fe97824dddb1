using System.Net;
using AgentRooms.Tests.Support;
using AgentRooms.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Tests.Features.Accounts;

public sealed class FirstAccountTestsOnSqlite(SqliteAppFactory app) : FirstAccountTests(app), IClassFixture<SqliteAppFactory>;

public sealed class FirstAccountTestsOnMariaDb(MariaDbAppFactory app) : FirstAccountTests(app), IClassFixture<MariaDbAppFactory>;

/// <summary>A fresh installation (its own database, no account yet) that several people find at once.</summary>
public abstract class FirstAccountTests(AppFactory app)
{
    [Fact]
    public async Task Of_many_first_registrations_at_once_exactly_one_becomes_site_administrator()
    {
        const string firstWord = "The first account created becomes its administrator.";
        Assert.Contains(firstWord, (await app.NewVisitor().Get("/Account/Login")).Text); // a fresh site says so where people arrive
        var visitors = Enumerable.Range(0, 8).Select(_ => app.NewVisitor()).ToList();

        var registered = await Task.WhenAll(visitors.Select((v, i) => v.Register(People.NewEmail($"rush{i}"), $"Rush {i}")));

        Assert.All(registered, r => Assert.Equal(HttpStatusCode.Redirect, r.Status));
        Assert.Equal(8, await app.WithDb(db => db.Users.CountAsync()));
        Assert.Equal(1, await app.WithDb(db => db.Users.CountAsync(u => u.IsSiteAdmin)));
        Assert.DoesNotContain(firstWord, (await app.NewVisitor().Get("/Account/Login")).Text);
        visitors.ForEach(v => v.Dispose());
    }
}

/// <summary>Two nodes (real processes) sharing a fresh MariaDB database, each taking first registrations at the same moment.</summary>
public sealed class FirstAccountAcrossNodesTests(MariaDbAppFactory app) : IClassFixture<MariaDbAppFactory>
{
    [Fact]
    public async Task Of_first_registrations_on_two_nodes_at_once_exactly_one_becomes_site_administrator()
    {
        await app.WithDb(db => db.Database.CanConnectAsync()); // migrated before the nodes share it
        using var one = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.first1");
        using var two = await AppProcess.Start(AppProcess.FreePort(), app.Provider, app.ConnectionString, $"{app.HangfirePath}.first2");
        var visitors = Enumerable.Range(0, 8).Select(i => Visitor.At((i % 2 == 0 ? one : two).BaseUrl, new CookieContainer())).ToList();

        var registered = await Task.WhenAll(visitors.Select((v, i) => v.Register(People.NewEmail($"race{i}"), $"Race {i}")));

        Assert.All(registered, r => Assert.Equal(HttpStatusCode.Redirect, r.Status));
        Assert.Equal(8, await app.WithDb(db => db.Users.CountAsync()));
        Assert.Equal(1, await app.WithDb(db => db.Users.CountAsync(u => u.IsSiteAdmin)));
        visitors.ForEach(v => v.Dispose());
    }
}
