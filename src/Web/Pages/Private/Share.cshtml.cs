using System.Security.Claims;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Messages;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Private;

/// <summary>
/// "Share to room": the asker posts a private answer for everyone, as the agent's message, under the
/// question it answered (quoted, so it sets off no agent). Once only; the answer stays theirs to share
/// while they are a member of the room.
/// </summary>
public class ShareModel(AppDbContext db, MessageLog log, MessageFeed feed, MarkdownRenderer markdown) : PageModel
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet([FromRoute] int id) => Redirect(Paths.Room(id));

    public async Task<IActionResult> OnPostAsync([FromRoute] int id, [FromRoute] long answerId)
    {
        var answer = await db.PrivateAnswers.SingleOrDefaultAsync(a => a.Id == answerId && a.RoomId == id && a.AskerId == UserId
            && db.RoomMembers.Any(m => m.RoomId == id && m.UserId == UserId));
        if (answer is null || answer.Failed)
            return NotFound();
        if (answer.SharedMessageId is { } earlier)
            return Done(id, earlier);
        var asker = User.DisplayNameOf();
        var content = $"> **{Escape(asker)} asked privately:** {Escape(answer.Question.ReplaceLineEndings(" "))}\n\n{answer.Answer}";
        var message = new Message
        {
            // No reply state: it is no reply the room set off, so there is nothing to answer again.
            RoomId = id, Kind = MessageKind.Agent, SenderAgentId = answer.AgentId, Content = content, ContentHtml = markdown.ToHtml(content),
        };
        try
        {
            await log.Append(db, feed, message, new HashSet<string>(), async () =>
            {
                // Shared twice at once: the second finds the first's message and posts nothing.
                await db.Entry(answer).ReloadAsync();
                if (answer.SharedMessageId is not null)
                    throw new AlreadyShared();
                answer.SharedMessage = message;
                return true;
            }, HttpContext.RequestAborted);
            return Done(id, message.Id);
        }
        catch (AlreadyShared)
        {
            return Done(id, (await db.PrivateAnswers.Where(a => a.Id == answerId).Select(a => a.SharedMessageId).SingleAsync())!.Value);
        }
    }

    private IActionResult Done(int roomId, long messageId) =>
        Request.IsHtmx() ? Content(PrivateHtml.Shared, "text/html; charset=utf-8") : Redirect(Paths.RoomAt(roomId, messageId));

    /// <summary>The asker's name and question as text in the quote: nothing in them is read as Markdown, a mention or a link.</summary>
    private static string Escape(string text) =>
        string.Concat(text.Select(c => c == '@' ? "@\u2060" : char.IsAsciiLetterOrDigit(c) || !char.IsAscii(c) || char.IsWhiteSpace(c) ? c.ToString() : $"\\{c}"));

    private sealed class AlreadyShared : Exception;
}
