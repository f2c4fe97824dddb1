using NetArchTest.Rules;

namespace AgentRooms.Tests;

/// <summary>
/// The layout rule of the README, checked on the compiled app (method bodies included): the
/// transport and the plumbing know no feature, and no two features need each other, directly or
/// around a loop.
/// </summary>
public class ArchitectureTests
{
    private const string Web = "AgentRooms.Web";
    /// <summary>The features: one folder each under Razor Pages' root, <c>src/Web/Pages</c>.</summary>
    private const string Features = Web + ".Pages";
    private static readonly System.Reflection.Assembly App = typeof(AgentRooms.Web.Realtime.ConnectionRegistry).Assembly;

    [Theory]
    [InlineData(Web + ".Realtime")]
    [InlineData(Web + ".Infrastructure")]
    public void Transport_and_plumbing_reference_no_feature(string layer)
    {
        var result = Types.InAssembly(App).That().ResideInNamespaceMatching(Within(layer))
            .Should().NotHaveDependencyOnAny(Features).GetResult();

        Assert.True(result.IsSuccessful, "These depend on a feature: " + Describe(result.FailingTypes));
    }

    [Fact]
    public void Infrastructure_does_not_reference_the_transport()
    {
        var result = Types.InAssembly(App).That().ResideInNamespaceMatching(Within(Web + ".Infrastructure"))
            .Should().NotHaveDependencyOnAny(Web + ".Realtime").GetResult();

        Assert.True(result.IsSuccessful, "These depend on Realtime: " + Describe(result.FailingTypes));
    }

    [Fact]
    public void Features_depend_on_each_other_without_cycles()
    {
        var features = FeatureNames();
        Assert.Contains("Messages", features); // the rule below checks something
        var uses = features.ToDictionary(f => f, f => features.Where(other => other != f && Depends(f, other)).ToList());
        Assert.Contains("Members", uses["Messages"]); // dependencies are seen: posting checks room access

        var cycle = FindCycle(uses);

        Assert.True(cycle is null, $"Features depend on each other in a loop: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle()
    {
        var uses = new Dictionary<string, List<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };

        Assert.Equal(["A", "B", "C", "A"], FindCycle(uses));
        Assert.Null(FindCycle(new Dictionary<string, List<string>> { ["A"] = ["B"], ["B"] = [], ["C"] = ["A", "B"] }));
    }

    private static List<string> FeatureNames() =>
        App.GetTypes().Select(t => t.Namespace ?? "").Where(ns => ns.StartsWith(Features + "."))
            .Select(ns => ns[(Features.Length + 1)..].Split('.')[0]).Distinct().Order().ToList();

    private static bool Depends(string feature, string other) =>
        Types.InAssembly(App).That().ResideInNamespaceMatching(Within($"{Features}.{feature}"))
            .And().HaveDependencyOnAny($"{Features}.{other}").GetTypes().Any();

    /// <summary>A loop in the graph as the path that closes it (first node repeated at the end), or null.</summary>
    private static List<string>? FindCycle(IReadOnlyDictionary<string, List<string>> uses)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0)
                return [.. path[at..], node];
            if (!done.Add(node))
                return null;
            path.Add(node);
            foreach (var next in uses.GetValueOrDefault(node) ?? [])
                if (Visit(next) is { } cycle)
                    return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return uses.Keys.Order().Select(Visit).FirstOrDefault(c => c is not null);
    }

    /// <summary>The namespace and those below it.</summary>
    private static string Within(string ns) => $"^{System.Text.RegularExpressions.Regex.Escape(ns)}(\\.|$)";

    private static string Describe(IEnumerable<NetArchTest.Rules.IType>? types) =>
        string.Join(", ", (types ?? []).Select(t => t.FullName));
}
