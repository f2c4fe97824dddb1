using System.Security.Claims;
using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Pages.Messages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRooms.Web.Pages.Private;

/// <summary>
/// The composer's question when "Ask privately" is ticked: private.js posts it here and shows the answer
/// as it streams (<c>X-Stream: 1</c>), above the composer, for the asker alone; without JavaScript the
/// composer's post comes here (Send passes it on) and the answer is a page when it is done.
/// </summary>
public class AskModel(AppDbContext db, PrivateAsking asking, MarkdownRenderer markdown, RequestLimits limits, IAntiforgery antiforgery) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Room Room { get; private set; } = null!;

    /// <summary>The answer's HTML, for the page without JavaScript.</summary>
    public string Html { get; private set; } = "";

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet() => Redirect(Paths.Room(Id));

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "Composer.Content")] string? content)
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { Member: not null } access)
            return NotFound();
        Room = access.Room;
        var streamed = Request.Headers["X-Stream"] == "1";
        var cancel = HttpContext.RequestAborted;
        var question = limits.Allow(Limit.Post, UserId)
            ? await asking.Check(Id, UserId, content, cancel)
            : new PrivateQuestion(null, content ?? "", RequestLimits.TryLater, StatusCodes.Status429TooManyRequests);
        if (question is not { Agent: { } agent, Refusal: null })
        {
            Response.StatusCode = question.Status;
            Html = (question.Agent is { } refusing ? PrivateHtml.Head(refusing, question.Question) : "") + PrivateHtml.Refusal(question.Refusal!);
            return streamed ? Content(Html, "text/html; charset=utf-8") : Page();
        }

        var head = PrivateHtml.Head(agent, question.Question);
        Func<string, Task> onText = _ => Task.CompletedTask;
        if (streamed)
        {
            // Each piece goes out as it comes (through nginx too), escaped; the finished answer replaces them.
            HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            Response.Headers["X-Accel-Buffering"] = "no";
            Response.ContentType = "text/html; charset=utf-8";
            await Write(head + PrivateHtml.StreamStart);
            onText = piece => Write(PrivateHtml.Piece(piece));
        }
        var answer = await asking.Answer(Id, UserId, User.DisplayNameOf(), agent, question.Question, onText, cancel);
        var final = PrivateHtml.Final(answer, markdown, antiforgery.GetAndStoreTokens(HttpContext).RequestToken);
        if (streamed)
        {
            if (!cancel.IsCancellationRequested)
                await Write(PrivateHtml.StreamEnd + final);
            return new EmptyResult();
        }
        Html = head + final;
        return Page();
    }

    private async Task Write(string html)
    {
        await Response.Body.WriteAsync(Encoding.UTF8.GetBytes(html), HttpContext.RequestAborted);
        await Response.Body.FlushAsync(HttpContext.RequestAborted);
    }
}
