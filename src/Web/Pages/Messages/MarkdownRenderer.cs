using Ganss.Xss;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// Turns untrusted markdown (people's and models' text) into inert HTML: Markdig without raw
/// HTML or attribute extensions, with what chat answers use (GitHub's tables, task lists and
/// strikethrough; highlighted code and mention chips, <see cref="MarkdownExtras"/>), link targets
/// rewritten to an allowlist, then a strict sanitizer.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UsePipeTables()
        .UseTaskLists()
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
        .UseSoftlineBreakAsHardlineBreak()
        .Use<MarkdownExtras>()
        .Build();

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    private readonly HtmlSanitizer sanitizer = CreateSanitizer();

    /// <summary>
    /// Markdig's link and code-span matching grows with the square of the brackets and backticks
    /// it must pair; past this many of either, a message is shown as the text it is.
    /// </summary>
    public const int MaxPairedMarks = 400;

    /// <summary>
    /// Safe HTML for any text a person or a model writes, and never an exception: text the parser
    /// refuses (Markdig throws past its nesting limits) or that would cost too much to parse is
    /// shown escaped, as plain text with its line breaks. Pages, pushes, previews and edits all come here.
    /// </summary>
    public string ToHtml(string markdown)
    {
        if (IsPlainText(markdown))
            return $"<p>{markdown}</p>\n";
        if (TooCostly(markdown))
            return AsPlainText(markdown);
        try
        {
            return Render(markdown);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return AsPlainText(markdown);
        }
    }

    public static string AsPlainText(string text) =>
        $"<p>{System.Net.WebUtility.HtmlEncode(text).ReplaceLineEndings("<br>\n")}</p>\n";

    private static bool TooCostly(string markdown)
    {
        int brackets = 0, backticks = 0;
        foreach (var c in markdown)
        {
            if (c == '[' && ++brackets > MaxPairedMarks || c == '`' && ++backticks > MaxPairedMarks)
                return true;
        }
        return false;
    }

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

        // A renderer of its own, not Markdig's pooled one: a render that throws past the nesting limit
        // leaves its renderer half-way (paragraphs switched off), and a pooled one would carry that on.
        using var html = new StringWriter();
        var renderer = new HtmlRenderer(html);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        return sanitizer.Sanitize(html.ToString());
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
                "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "div", "span",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "start", "class" },
            AllowedSchemes = new HashSet<string>(AllowedSchemes, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        sanitizer.AllowDataAttributes = false;
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not AngleSharp.Dom.IElement element)
                return;
            if (element.LocalName == "a")
            {
                element.SetAttribute("rel", "noopener noreferrer nofollow");
                // Away from the site, a new tab; a link within it (a citation to a message of the room) stays in this one.
                if (element.GetAttribute("href") is not { } href || !(href.StartsWith('#') || href.StartsWith('/') && !href.StartsWith("//") && !href.StartsWith("/\\")))
                    element.SetAttribute("target", "_blank");
            }
            if (element.GetAttribute("class") is { } classes)
            {
                var kept = classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(c => KeepsClass(element, c)).ToList();
                if (kept.Count == 0)
                    element.RemoveAttribute("class");
                else
                    element.SetAttribute("class", string.Join(' ', kept));
            }
        };
        return sanitizer;
    }

    /// <summary>Only the renderer's own classes, and ColorCode's token classes on spans inside code.</summary>
    private static bool KeepsClass(AngleSharp.Dom.IElement element, string name) =>
        MarkdownExtras.Classes.Contains(name)
        || element.LocalName == "span" && element.Closest("pre") is not null && name.All(char.IsAsciiLetter);
}
