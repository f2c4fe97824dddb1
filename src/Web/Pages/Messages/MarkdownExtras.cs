using System.Text.RegularExpressions;
using ColorCode;
using Markdig;
using Markdig.Extensions.TaskLists;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// What chat answers need beyond CommonMark, rendered on the server so it works without JavaScript and
/// in pushed fragments: fenced code highlighted (ColorCode) under a label naming its language;
/// <c>@mentions</c> as chips; task-list boxes as the characters ☐ and ☑ (no form controls in a message).
/// Every class it writes is on <see cref="Classes"/>, and the sanitizer keeps no other.
/// </summary>
public sealed partial class MarkdownExtras : IMarkdownExtension
{
    /// <summary>The classes the renderer writes (ColorCode's token classes, on spans inside code, besides).</summary>
    public static readonly IReadOnlySet<string> Classes = new HashSet<string>(StringComparer.Ordinal)
    {
        "code-block", "code-head", "code-lang", "mention", "task-box",
    };

    /// <summary>Longer code is shown plain: highlighting is regular expressions over the text.</summary>
    private const int MaxHighlighted = 20_000;

    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.InlineParsers.Contains<MentionParser>())
            pipeline.InlineParsers.Add(new MentionParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is not HtmlRenderer html)
            return;
        html.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new HighlightedCode());
        html.ObjectRenderers.ReplaceOrAdd<HtmlTaskListRenderer>(new TaskBox());
        html.ObjectRenderers.Add(new MentionChip());
    }

    /// <summary>An <c>@handle</c> as <see cref="Mentions.Handles"/> finds it: not after a letter, digit or one of <c>_@./-</c>.</summary>
    private sealed class MentionParser : InlineParser
    {
        public MentionParser() => OpeningCharacters = ['@'];

        public override bool Match(InlineProcessor processor, ref StringSlice slice)
        {
            var before = slice.PeekCharExtra(-1);
            if (char.IsAsciiLetterOrDigit(before) || before is '_' or '@' or '.' or '/' or '-')
                return false;
            var match = Handle().Match(slice.Text, slice.Start, slice.Length);
            if (!match.Success)
                return false;
            processor.Inline = new MentionInline(match.Groups[1].Value) { Span = new SourceSpan(slice.Start, slice.Start + match.Length - 1) };
            slice.Start += match.Length;
            return true;
        }
    }

    [GeneratedRegex(@"\G@([A-Za-z0-9][A-Za-z0-9-]{1,31})(?![A-Za-z0-9-])")]
    private static partial Regex Handle();

    private sealed class MentionInline(string handle) : LeafInline
    {
        public string Handle => handle;
    }

    private sealed class MentionChip : HtmlObjectRenderer<MentionInline>
    {
        protected override void Write(HtmlRenderer renderer, MentionInline mention) =>
            renderer.Write("<span class=\"mention\">@").WriteEscape(mention.Handle).Write("</span>");
    }

    private sealed class TaskBox : HtmlObjectRenderer<TaskList>
    {
        protected override void Write(HtmlRenderer renderer, TaskList task) =>
            renderer.Write(task.Checked ? "<span class=\"task-box\">☑</span>" : "<span class=\"task-box\">☐</span>");
    }

    /// <summary>A code block in a box: a head naming its language (where the fence names one), then the code, highlighted where ColorCode knows the language.</summary>
    private sealed class HighlightedCode : HtmlObjectRenderer<CodeBlock>
    {
        protected override void Write(HtmlRenderer renderer, CodeBlock block)
        {
            var language = (block as FencedCodeBlock)?.Info?.Trim() is { Length: > 0 and <= 32 } info ? info : null;
            var code = block.Lines.ToString();
            renderer.EnsureLine();
            renderer.Write("<div class=\"code-block\">");
            if (language is not null)
                renderer.Write("<div class=\"code-head\"><span class=\"code-lang\">").WriteEscape(language).Write("</span></div>");
            renderer.Write("<pre><code>");
            if (language is not null && code.Length <= MaxHighlighted && Languages.FindById(language.ToLowerInvariant()) is { } known)
                renderer.Write(Highlighted(code, known));
            else
                renderer.WriteEscape(code);
            renderer.Write("</code></pre></div>");
            renderer.EnsureLine();
        }

        /// <summary>ColorCode's spans (it escapes the text), without the box it puts around them.</summary>
        private static string Highlighted(string code, ILanguage language)
        {
            var html = new HtmlClassFormatter().GetHtmlString(code, language);
            var start = html.IndexOf("<pre>", StringComparison.Ordinal) + "<pre>".Length;
            var end = html.LastIndexOf("</pre>", StringComparison.Ordinal);
            return html[start..end].Trim('\r', '\n');
        }
    }
}
