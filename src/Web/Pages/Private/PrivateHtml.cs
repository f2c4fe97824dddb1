using System.Text.Encodings.Web;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Messages;

namespace AgentRooms.Web.Pages.Private;

/// <summary>
/// A private answer as HTML, the same streamed into the room (private.js) or as a page of its own
/// (without JavaScript): who answers and that only the asker sees it, the question, the text while it
/// streams (escaped), then the finished answer (Markdown, sanitised, citations linked), its cost and "Share to room".
/// </summary>
public static class PrivateHtml
{
    public static string Head(Agent agent, string question) =>
        $"<header class=\"private-head\"><span class=\"avatar\" aria-hidden=\"true\">{Encode(agent.Emoji)}</span> " +
        $"<strong class=\"message-author\">{Encode(agent.Name)}</strong> <span class=\"private-mark\">Only you can see this</span></header>\n" +
        $"<blockquote class=\"private-question\">{Encode(question)}</blockquote>\n";

    public static string Refusal(string reason) => $"<p class=\"private-refusal field-error\" role=\"alert\">{Encode(reason)}</p>\n";

    public const string StreamStart = "<div class=\"private-stream message-body\" aria-hidden=\"true\">";
    public const string StreamEnd = "</div>\n";

    public static string Piece(string text) => Encode(text);

    /// <summary>The finished answer; with "Share to room" (carrying <paramref name="antiforgeryToken"/>) unless it failed.</summary>
    public static string Final(PrivateAnswer answer, MarkdownRenderer markdown, string? antiforgeryToken)
    {
        var cost = answer.InputTokens + answer.OutputTokens;
        var html = $"<div class=\"private-final message-body\">{markdown.ToHtml(answer.Answer)}</div>\n" +
                   (cost > 0 ? $"<p class=\"hint\">{Budgets.Number(cost)} tokens{(answer.TokensEstimated ? " (counted here)" : "")}</p>\n" : "");
        if (answer.Failed)
            return html;
        var action = Paths.SharePrivate(answer.RoomId, answer.Id);
        return html + $"<form method=\"post\" action=\"{action}\" hx-post=\"{action}\" hx-swap=\"outerHTML\" class=\"inline-form private-share\">" +
               (antiforgeryToken is null ? "" : $"<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{Encode(antiforgeryToken)}\">") +
               "<button type=\"submit\" class=\"button\">Share to room</button></form>\n";
    }

    public const string Shared = "<p class=\"hint private-shared\" role=\"status\">Shared to the room.</p>";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
