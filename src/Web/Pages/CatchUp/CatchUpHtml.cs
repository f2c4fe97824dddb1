using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Infrastructure;

namespace AgentRooms.Web.Pages.CatchUp;

/// <summary>
/// The parts of a catch-up summary as HTML, the same whether it streams into the room (room.js) or comes
/// as a page of its own (without JavaScript): the heading, the text while it streams (escaped), the
/// finished text (Markdown, sanitised) with its citations made links to the messages, and its cost.
/// </summary>
public static partial class CatchUpHtml
{
    public static string Heading(int count, DateTime since) =>
        $"<h2 id=\"catch-up-heading\">What you missed</h2>\n<p class=\"hint\">A summary of {Plural(count, "message")} since " +
        $"<time datetime=\"{since:O}\">{since:HH:mm} UTC</time>. Only you see it.</p>\n";

    public static string Refusal(string reason) =>
        $"<h2 id=\"catch-up-heading\">What you missed</h2>\n<p class=\"catch-up-refusal\">{Encode(reason)}</p>\n";

    public static string Failure(string reason) => $"<p class=\"catch-up-refusal\">Sorry, no summary: {Encode(reason)}.</p>\n";

    public const string StreamStart = "<div class=\"catch-up-stream\" aria-hidden=\"true\">";
    public const string StreamEnd = "</div>\n";

    public static string Piece(string text) => Encode(text);

    /// <summary>
    /// The finished summary: the model's Markdown, rendered as any message is, with each <c>[#id]</c> of a
    /// summarised message a numbered link to it. Ids of anything else are dropped.
    /// </summary>
    public static string Final(string text, IReadOnlyList<SummaryLine> lines, int roomId, MarkdownRenderer markdown, Summarized cost)
    {
        var byId = lines.ToDictionary(l => l.Id);
        // Citations become markers (any the model wrote itself are dropped) that the renderer passes through as text,
        // then links made here in the text, so the model never writes a tag or an address.
        var marked = Citation().Replace(text.Replace("⟦", "").Replace("⟧", ""), match => string.Join(" ", Ids().Matches(match.Value)
            .Select(id => long.TryParse(id.Groups[1].Value, out var messageId) && byId.ContainsKey(messageId) ? $"⟦{messageId}⟧" : null)
            .OfType<string>()));
        var html = Linked(markdown.ToHtml(marked), byId, roomId);
        var note = cost.Error is { } error ? $" (cut short: {Encode(error)})" : cost.Complete ? "" : " (cut short)";
        return $"<div class=\"catch-up-final message-body\">{html}</div>\n" +
               $"<p class=\"hint\">{Budgets.Number(cost.InputTokens + cost.OutputTokens)} tokens{(cost.Estimated ? " (counted here)" : "")}{note}</p>\n";
    }

    /// <summary>
    /// Each marker in the text becomes a numbered link to its message (numbered as first cited; named for
    /// screen readers by author and time); in code or in a link, only the number; markers elsewhere go.
    /// </summary>
    private static string Linked(string html, Dictionary<long, SummaryLine> byId, int roomId)
    {
        if (!html.Contains('⟦'))
            return html;
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body></body>");
        var body = document.Body!;
        body.InnerHtml = html;
        var numbers = new Dictionary<long, int>();
        foreach (var node in body.Descendants<IText>().Where(t => t.Data.Contains('⟦')).ToList())
        {
            var plain = node.Ancestors<IElement>().Any(e => e.LocalName is "a" or "code" or "pre");
            var parts = Marker().Split(node.Data); // text, id, text, id, ..., text
            var parent = node.Parent!;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i % 2 == 0)
                {
                    if (parts[i].Length > 0)
                        parent.InsertBefore(document.CreateTextNode(parts[i]), node);
                    continue;
                }
                // A marker the model made itself (say, written as entities, which the renderer decodes) names no
                // summarised message: it goes, like any stray marker.
                if (!long.TryParse(parts[i], CultureInfo.InvariantCulture, out var id) || !byId.TryGetValue(id, out var line))
                    continue;
                if (!numbers.TryGetValue(line.Id, out var number))
                    numbers[line.Id] = number = numbers.Count + 1;
                if (plain)
                {
                    parent.InsertBefore(document.CreateTextNode($"[{number}]"), node);
                    continue;
                }
                var link = document.CreateElement("a");
                link.ClassName = "citation";
                link.SetAttribute("href", Paths.MessageInRoom(roomId, line.Id));
                link.SetAttribute("data-quote", line.Id.ToString(CultureInfo.InvariantCulture)); // room.js scrolls to it in place
                link.SetAttribute("title", $"{line.Author}, {line.At:HH:mm} UTC");
                link.TextContent = number.ToString(CultureInfo.InvariantCulture);
                var who = document.CreateElement("span"); // what screen readers say after the number
                who.ClassName = "visually-hidden";
                who.TextContent = $": {line.Author}, {line.At:HH:mm} UTC";
                link.AppendChild(who);
                parent.InsertBefore(link, node);
            }
            parent.RemoveChild(node);
        }
        foreach (var element in body.Descendants<IElement>())
            foreach (var attribute in element.Attributes.Where(a => a.Value.Contains('⟦')).ToList())
                element.SetAttribute(attribute.Name, Marker().Replace(attribute.Value, ""));
        return body.InnerHtml;
    }

    private static string Plural(int count, string word) => count == 1 ? $"1 {word}" : $"{count} {word}s";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    [GeneratedRegex(@"\[(?:\s*#\d{1,18}\s*,?)+\]")]
    private static partial Regex Citation();

    [GeneratedRegex(@"#(\d{1,18})")]
    private static partial Regex Ids();

    [GeneratedRegex(@"⟦(\d{1,18})⟧")]
    private static partial Regex Marker();
}
