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
                Assert.Contains(attribute.Name, new[] { "href", "rel", "target", "start" });
            }
            if (element.GetAttribute("href") is { } href)
                Assert.True(href == "#" || href.StartsWith("https://") || href.StartsWith("http://") || href.StartsWith('/'), href);
        }
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
            Assert.Contains(element.LocalName, new[] { "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a", "hr", "h1", "h2", "h3", "h4", "h5", "h6" }));
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
