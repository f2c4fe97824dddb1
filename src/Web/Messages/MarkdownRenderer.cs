using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AgentRooms.Web.Messages;

/// <summary>
/// Turns untrusted markdown (people's and models' text) into inert HTML: Markdig without raw
/// HTML or attribute extensions, link targets rewritten to an allowlist, then a strict sanitizer.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    private readonly HtmlSanitizer sanitizer = CreateSanitizer();

    public string ToHtml(string markdown) => IsPlainText(markdown) ? $"<p>{markdown}</p>\n" : Render(markdown);

    /// <summary>The full path: parse, rewrite links, render, sanitize.</summary>
    public string Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            // Images are never fetched: they become plain links to where they point.
            link.IsImage = false;
            link.Url = SafeUrl(link.Url);
        }
        foreach (var autolink in document.Descendants<AutolinkInline>())
            autolink.Url = SafeUrl(autolink.Url) == "#" ? "#" : autolink.Url;

        return sanitizer.Sanitize(document.ToHtml(Pipeline));
    }

    /// <summary>
    /// Most chat lines are words and punctuation that no markdown rule, autolink or HTML escape
    /// touches: one line, starting with a letter, of letters, digits, spaces and a few marks (no
    /// <c>&amp; &lt; &gt; * _ ` [ ] # ~ | \ :</c>, no "www."). Those skip the parser and the sanitizer
    /// and come out exactly as the full path renders them (a test holds both to that).
    /// </summary>
    public static bool IsPlainText(string text)
    {
        if (text.Length == 0 || text.Length > 2000 || !char.IsLetter(text[0]) || text.Contains("www.", StringComparison.OrdinalIgnoreCase))
            return false;
        foreach (var c in text)
            if (!char.IsLetterOrDigit(c) && c is not (' ' or ',' or '.' or '?' or '!' or '\'' or '"' or '(' or ')' or '-' or ';'))
                return false;
        return !text.EndsWith(' ');
    }

    /// <summary>Relative paths, fragments and http(s)/mailto; anything else (javascript:, data:, vbscript:...) becomes "#".</summary>
    public static string SafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Any(char.IsControl))
            return "#";
        url = url.Trim();
        if (url.StartsWith('#') || (url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\")))
            return url;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && AllowedSchemes.Contains(uri.Scheme) ? url : "#";
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "blockquote", "a", "hr",
                "h1", "h2", "h3", "h4", "h5", "h6",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "start" },
            AllowedSchemes = new HashSet<string>(AllowedSchemes, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        sanitizer.AllowDataAttributes = false;
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer nofollow");
                link.SetAttribute("target", "_blank");
            }
        };
        return sanitizer;
    }
}
