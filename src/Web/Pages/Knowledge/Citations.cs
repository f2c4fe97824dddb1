using System.Text.RegularExpressions;

namespace AgentRooms.Web.Pages.Knowledge;

/// <summary>
/// A reply's citations as links: each label its tools handed over (<c>[#123]</c>, <c>[file 4, page 7]</c>)
/// becomes a numbered link, "[1]", to the message's page or the file at its page, numbered in the
/// order the reply first cites them. A label no tool of this reply handed over cites nothing the reply
/// read (a model may make one up) and is left out.
/// </summary>
public static partial class Citations
{
    public static string Link(string content, IReadOnlyList<Cited> found)
    {
        var numbers = new Dictionary<string, int>();
        return Label().Replace(content, match =>
        {
            if (found.FirstOrDefault(f => f.Label == match.Value) is not { } cited)
                return "";
            if (!numbers.TryGetValue(cited.Label, out var number))
                numbers[cited.Label] = number = numbers.Count + 1;
            return $"[\\[{number}\\]]({cited.Url} \"{cited.Title.Replace("\"", "'")}\")";
        });
    }

    [GeneratedRegex(@"\[(?:#\d+|file \d+, page \d+)\]")]
    private static partial Regex Label();
}
