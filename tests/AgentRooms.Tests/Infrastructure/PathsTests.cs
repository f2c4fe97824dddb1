using System.Reflection;
using AgentRooms.Tests.Support;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRooms.Tests.Infrastructure;

/// <summary>
/// Every address <see cref="Paths"/> builds is one the app routes: it matches an endpoint of the route
/// table, and a <c>?handler=</c> in it names a handler of the page it reaches.
/// </summary>
public sealed class PathsTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    public static TheoryData<string> Builders()
    {
        var data = new TheoryData<string>();
        foreach (var member in typeof(Paths).GetMembers(BindingFlags.Public | BindingFlags.Static))
            if (member is FieldInfo { IsLiteral: true } or MethodInfo { IsSpecialName: false })
                data.Add(member.Name + (member is MethodInfo method ? $"({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})" : ""));
        return data;
    }

    [Theory]
    [MemberData(nameof(Builders))]
    public async Task Every_builder_reaches_a_route_and_a_handler_of_its_page(string builder)
    {
        var path = Build(builder);
        var (route, query) = Split(path);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

        var matched = endpoints.Where(e => Matches(e, route)).ToList();

        Assert.True(matched.Count > 0, $"{builder} builds {path}, which no route matches");
        if (QueryHelpers(query).TryGetValue("handler", out var handler))
        {
            var page = matched.Select(e => e.Metadata.GetMetadata<PageActionDescriptor>()).OfType<PageActionDescriptor>().First();
            var compiled = await app.Services.GetRequiredService<PageLoader>().LoadAsync(page, EndpointMetadataCollection.Empty);
            Assert.Contains(handler, compiled.HandlerMethods.Select(h => h.Name));
        }
    }

    [Fact]
    public void The_builders_are_checked_at_all()
    {
        Assert.Contains("Room(Int32)", Builders().Cast<object[]>().Select(row => (string)row[0]));
        Assert.Contains("StopReply(Int32, Int64)", Builders().Cast<object[]>().Select(row => (string)row[0]));
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        Assert.DoesNotContain(endpoints, e => Matches(e, "/no/such/page/anywhere"));
    }

    private static string Build(string builder)
    {
        var name = builder.Split('(')[0];
        if (typeof(Paths).GetField(name) is { } field)
            return (string)field.GetValue(null)!;
        var method = typeof(Paths).GetMethods().Single(m => m.Name == name && builder.EndsWith($"({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})"));
        var arguments = method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(int) => (object)7,
            var t when t == typeof(int?) => 7,
            var t when t == typeof(long) => 9L,
            var t when t == typeof(Guid) => Guid.NewGuid(),
            var t when t == typeof(string) => "some-value_1",
            var t => throw new InvalidOperationException($"No sample value for {t}"),
        }).ToArray();
        return (string)method.Invoke(null, arguments)!;
    }

    private static (string Route, string Query) Split(string path)
    {
        var withoutFragment = path.Split('#')[0];
        var at = withoutFragment.IndexOf('?');
        return at < 0 ? (withoutFragment, "") : (withoutFragment[..at], withoutFragment[(at + 1)..]);
    }

    private static Dictionary<string, string> QueryHelpers(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private static bool Matches(RouteEndpoint endpoint, string route)
    {
        if (endpoint.RoutePattern.RawText is not { } raw)
            return false;
        var matcher = new TemplateMatcher(TemplateParser.Parse(raw.TrimStart('/')), new RouteValueDictionary());
        var values = new RouteValueDictionary();
        return matcher.TryMatch(new PathString(route), values) && endpoint.RoutePattern.Parameters.All(p =>
            !values.TryGetValue(p.Name, out var value) || p.ParameterPolicies.All(policy => policy.Content is not "int" and not "long"
                || long.TryParse(value?.ToString(), out _)));
    }
}
