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

    /// <summary>
    /// Which feature may use which: the map of the app. A new edge is a design decision, made here (and
    /// in the README's map, which <see cref="The_readme_map_is_this_list"/> holds to it), not by a using.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedEdges = new Dictionary<string, string[]>
    {
        ["Accounts"] = [],
        ["Admin"] = ["Accounts", "Agents", "Messages"],
        ["Agents"] = ["Approvals", "Attachments", "Direct", "Knowledge", "Members", "Messages", "Notes", "Tools"],
        ["Approvals"] = [],
        ["Attachments"] = [],
        ["CatchUp"] = ["Agents", "Members", "Messages"],
        ["Direct"] = ["Members"],
        ["Export"] = ["Attachments", "Members", "Messages"],
        ["Invitations"] = ["Accounts", "Members"],
        ["Knowledge"] = ["Attachments", "Search"],
        ["Members"] = ["Accounts"],
        ["Mentions"] = ["Messages", "Search"],
        ["Messages"] = ["Attachments", "Members", "Reactions"],
        ["Notes"] = ["Members"],
        ["Notifications"] = ["Messages"],
        ["Pins"] = ["Members", "Messages"],
        ["Private"] = ["Agents", "Knowledge", "Members", "Messages", "Tools"],
        ["Reactions"] = ["Members"],
        ["Rooms"] = ["Agents", "Attachments", "Direct", "Invitations", "Members", "Messages", "Notifications", "Pins", "Reactions", "Tools"],
        ["Saved"] = ["Messages", "Search"],
        ["Schedules"] = ["Members", "Messages"],
        ["Search"] = ["Messages"],
        ["Shared"] = ["Rooms"],
        ["Tools"] = [],
        ["Webhooks"] = ["Members", "Messages"],
    };

    [Fact]
    public void Features_depend_only_along_the_allowed_edges()
    {
        var features = FeatureNames();
        var actual = features.ToDictionary(f => f, f => features.Where(other => other != f && Depends(f, other)).ToArray());

        var unlisted = actual.SelectMany(e => e.Value.Where(to => !AllowedEdges.GetValueOrDefault(e.Key, []).Contains(to)).Select(to => $"{e.Key} → {to}")).ToList();
        var stale = AllowedEdges.SelectMany(e => e.Value.Where(to => !actual.GetValueOrDefault(e.Key, []).Contains(to)).Select(to => $"{e.Key} → {to}")).ToList();

        Assert.True(unlisted.Count == 0, "Edges not on the list: " + string.Join(", ", unlisted) + ". The map now: " + Map(actual));
        Assert.True(stale.Count == 0, "Listed edges no longer used (take them off): " + string.Join(", ", stale));
        Assert.Equal(features.Order(), AllowedEdges.Keys.Order());
    }

    [Fact]
    public void The_readme_map_is_this_list()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        Assert.Contains(Map(AllowedEdges), readme.ReplaceLineEndings(" ").Replace("  ", " "));
    }

    /// <summary>
    /// The seams: interfaces that let a lower layer or feature use one above it (the transport's
    /// <c>Realtime/Seams.cs</c>, a feature's own), each implemented elsewhere. A new one is a design
    /// decision too, made here and named in the README.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Seams = new Dictionary<string, string>
    {
        ["IAgentReplies"] = "Messages → Agents",
        ["IArrival"] = "Accounts → Invitations",
        ["IMembershipLines"] = "Members → Messages",
        ["IMessagePosted"] = "Messages → Notifications",
        ["INodeCommand"] = "Realtime → Agents",
        ["IPersonRooms"] = "Realtime → Members",
        ["IPresenceFeed"] = "Realtime → Members",
        ["IProfileChanges"] = "Accounts → Members",
        ["IRoomCatchUp"] = "Realtime → Messages",
        ["IRoomNow"] = "Realtime → Agents",
        ["IRoomRead"] = "Realtime → Members",
        ["IRoomRenamed"] = "Direct → Rooms",
        ["IRoomSend"] = "Realtime → Messages",
        ["ITypingView"] = "Realtime → Messages",
    };

    [Fact]
    public void The_seams_are_this_list_and_the_readme_names_each()
    {
        static string Area(Type type) => (type.Namespace ?? "").StartsWith(Features + ".")
            ? type.Namespace![(Features.Length + 1)..].Split('.')[0]
            : (type.Namespace ?? "").Replace(Web + ".", "").Split('.')[0];
        var types = App.GetTypes();
        var actual = types.Where(t => t.IsInterface && t.IsPublic)
            .SelectMany(seam => types.Where(t => t.IsClass && !t.IsAbstract && seam.IsAssignableFrom(t) && Area(t) != Area(seam))
                .Select(implementation => (Seam: seam.Name, Edge: $"{Area(seam)} → {Area(implementation)}")))
            .Distinct().ToDictionary(s => s.Seam, s => s.Edge);

        Assert.Equal(Seams.OrderBy(s => s.Key), actual.OrderBy(s => s.Key));
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        Assert.All(Seams.Keys, seam => Assert.Contains($"`{seam}`", readme));
    }

    /// <summary>The map as one line, as the README writes it: "Accounts → nothing; Admin → Accounts; …".</summary>
    public static string Map(IReadOnlyDictionary<string, string[]> edges) =>
        string.Join("; ", edges.OrderBy(e => e.Key).Select(e => $"{e.Key} → {(e.Value.Length == 0 ? "nothing" : string.Join(", ", e.Value.Order()))}")) + ".";

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgentRooms.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("The repository root (AgentRooms.sln) was not found above the tests.");
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
