using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AgentRooms.Web.Pages.Search;

/// <summary>
/// Marks the searched words in a message's stored HTML, which was sanitised when it was saved. It works
/// on the parsed document's text nodes, so what a person typed only ever picks which text to wrap in
/// <c>mark</c>: it never becomes markup, and markup (an entity, a link's address) is never cut apart.
/// </summary>
public static class Highlight
{
    private static readonly HtmlParser Parser = new();

    public static string Mark(string safeHtml, IEnumerable<string> tokens)
    {
        var stems = tokens.Select(Stem).Where(s => s.Length > 0).Distinct().OrderByDescending(s => s.Length).ToList();
        if (stems.Count == 0 || safeHtml.Length == 0)
            return safeHtml;
        // A word that starts with the stem of a searched word: "deploy" marks "deploys" and "deployed".
        var words = new Regex(@"(?<![\p{L}\p{N}])(?:" + string.Join('|', stems.Select(Regex.Escape)) + @")[\p{L}\p{N}]*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        var document = Parser.ParseDocument("");
        var body = document.Body!;
        body.InnerHtml = safeHtml;
        try
        {
            foreach (var text in Texts(body).ToList())
                MarkIn(document, text, words);
        }
        catch (RegexMatchTimeoutException)
        {
            return safeHtml;
        }
        return body.InnerHtml;
    }

    /// <summary>Close enough to the database's Porter stemming for marking: the common English endings go.</summary>
    private static string Stem(string token)
    {
        foreach (var ending in (string[])["ing", "ed", "es", "s"])
            if (token.Length > ending.Length + 2 && token.EndsWith(ending, StringComparison.Ordinal))
                return token[..^ending.Length];
        return token;
    }

    private static IEnumerable<IText> Texts(INode node)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
                yield return text;
            else
                foreach (var inner in Texts(child))
                    yield return inner;
        }
    }

    private static void MarkIn(IDocument document, IText text, Regex words)
    {
        var value = text.Data;
        var matches = words.Matches(value);
        if (matches.Count == 0)
            return;
        var parent = text.Parent!;
        var at = 0;
        foreach (Match match in matches)
        {
            if (match.Index > at)
                parent.InsertBefore(document.CreateTextNode(value[at..match.Index]), text);
            var mark = document.CreateElement("mark");
            mark.TextContent = match.Value;
            parent.InsertBefore(mark, text);
            at = match.Index + match.Length;
        }
        if (at < value.Length)
            parent.InsertBefore(document.CreateTextNode(value[at..]), text);
        parent.RemoveChild(text);
    }
}
