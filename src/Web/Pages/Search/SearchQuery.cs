using System.Text.RegularExpressions;

namespace AgentRooms.Web.Pages.Search;

/// <summary>
/// What a person typed in the search box, read once: the words to find (a quoted phrase, or a word
/// like <c>build-time</c>, is one term of several tokens in a row), and the filters <c>in:room</c> and
/// <c>from:name</c> (quotes for names with spaces). Tokens are runs of letters and digits, lowercased,
/// so nothing a person types reaches a full-text query's syntax.
/// </summary>
public sealed partial record SearchQuery(IReadOnlyList<IReadOnlyList<string>> Terms, string? InRoom, string? From)
{
    public const int MaxLength = 200;
    public const int MaxTerms = 10;

    public bool IsEmpty => Terms.Count == 0 && InRoom is null && From is null;

    public IEnumerable<string> Tokens => Terms.SelectMany(t => t);

    public static SearchQuery Parse(string? text)
    {
        text ??= "";
        if (text.Length > MaxLength)
            text = text[..MaxLength];
        var terms = new List<IReadOnlyList<string>>();
        string? inRoom = null, from = null;
        foreach (Match part in Parts().Matches(text))
        {
            if (part.Groups["key"].Success)
            {
                var value = part.Groups["value"].Value.Trim();
                if (value.Length == 0)
                    continue;
                if (part.Groups["key"].Value.Equals("in", StringComparison.OrdinalIgnoreCase))
                    inRoom = value;
                else
                    from = value;
                continue;
            }
            var tokens = Tokenize(part.Groups["phrase"].Success ? part.Groups["phrase"].Value : part.Groups["word"].Value);
            if (tokens.Count > 0 && terms.Count < MaxTerms)
                terms.Add(tokens);
        }
        return new SearchQuery(terms, inRoom, from);
    }

    public static List<string> Tokenize(string text) =>
        Words().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();

    [GeneratedRegex("""(?<key>\b(?:in|from)):(?:"(?<value>[^"]*)"?|(?<value>\S+))|"(?<phrase>[^"]*)"?|(?<word>\S+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Parts();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();
}
