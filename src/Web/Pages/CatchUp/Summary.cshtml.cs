using System.Security.Claims;
using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Agents;
using AgentRooms.Data.Rooms;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.CatchUp;

/// <summary>
/// "Summarize unread": the site's summary model (<see cref="Summarizer"/>) sums up the room's messages
/// after the one the person had read when they opened the room, for them alone, citing the messages.
/// room.js posts it and shows the answer as it streams (<c>X-Stream: 1</c>); without JavaScript the
/// answer comes as a page when it is done. It runs in the request: a person who leaves stops it, and
/// what it used counts against their daily budget either way.
/// </summary>
public class SummaryModel(
    AppDbContext db, Summarizer summarizer, Budgets budgets, ModelClient model, MarkdownRenderer markdown, RequestLimits limits,
    IOptions<AgentOptions> options) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Room Room { get; private set; } = null!;

    /// <summary>The summary's HTML (heading, text or refusal, cost), for the page without JavaScript.</summary>
    public string Html { get; private set; } = "";

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IActionResult OnGet() => Redirect(Paths.Room(Id));

    /// <param name="since">The last message the person had read when the room was opened: the summary is of what came after.</param>
    public async Task<IActionResult> OnPostAsync(long since)
    {
        if (await RoomAccess.Find(db, Id, UserId) is not { Member: not null } access)
            return NotFound();
        Room = access.Room;
        var streamed = Request.Headers["X-Stream"] == "1";
        var cancel = HttpContext.RequestAborted;

        var (status, refusal) = !limits.Allow(Limit.Summary, UserId) ? (StatusCodes.Status429TooManyRequests, RequestLimits.TryLater)
            : !model.IsConfigured ? (StatusCodes.Status503ServiceUnavailable, "No AI model is configured, so there is no one to summarize. The site's administrator can set AI:Endpoint and AI:Model.")
            : await budgets.Refusal(UserId, agent: null, cancel) is { } overBudget ? (StatusCodes.Status429TooManyRequests, overBudget)
            : (StatusCodes.Status200OK, null);
        IReadOnlyList<SummaryLine> lines = [];
        if (refusal is null)
        {
            lines = await summarizer.Lines(Id, Math.Max(0, since), Room.LastSeq, Budget(), cancel);
            if (lines.Count == 0)
                refusal = "Nothing new to summarize: you've read everything here.";
        }
        if (refusal is not null)
        {
            Response.StatusCode = status;
            Html = CatchUpHtml.Refusal(refusal);
            return streamed ? Content(Html, "text/html; charset=utf-8") : Page();
        }

        var heading = CatchUpHtml.Heading(lines.Count, lines[0].At);
        Func<string, Task> onText = _ => Task.CompletedTask;
        if (streamed)
        {
            // Each piece goes out as it comes (through nginx too), escaped, then the finished text replaces it.
            HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            Response.Headers["X-Accel-Buffering"] = "no";
            Response.ContentType = "text/html; charset=utf-8";
            await Write(heading + CatchUpHtml.StreamStart);
            onText = piece => Write(CatchUpHtml.Piece(piece));
        }
        var done = await summarizer.Summarize(
            $"You catch a member of the chat room up on what they missed. Sum up the messages below for them: what was " +
            "discussed and decided, what was asked of them, and what is still open. A few short paragraphs or a short list.",
            lines, earlier: null, cite: true, onText, cancel);
        await Record(lines, done);
        var final = done.Text.Length == 0
            ? CatchUpHtml.Failure(done.Error ?? "the model sent back nothing")
            : CatchUpHtml.Final(done.Text, lines, Id, markdown, done);
        if (streamed)
        {
            if (!cancel.IsCancellationRequested)
                await Write(CatchUpHtml.StreamEnd + final);
            return new EmptyResult();
        }
        Html = heading + final;
        return Page();
    }

    /// <summary>The summary model's window, less its instructions and room for the summary.</summary>
    private int Budget() =>
        options.Value.ContextTokensFor(summarizer.ModelName) - options.Value.SummaryMaxCharacters / 3 - 500;

    private async Task Write(string html)
    {
        await Response.Body.WriteAsync(Encoding.UTF8.GetBytes(html), HttpContext.RequestAborted);
        await Response.Body.FlushAsync(HttpContext.RequestAborted);
    }

    /// <summary>What it cost, against the person's budget; kept even when they left mid-way (the model worked).</summary>
    private async Task Record(IReadOnlyList<SummaryLine> lines, Summarized done)
    {
        if (done.InputTokens + done.OutputTokens == 0)
            return;
        db.Summaries.Add(new Summary
        {
            RoomId = Id, Kind = SummaryKind.Unread, UserId = UserId, FromSeq = lines[0].Seq, UpToSeq = lines[^1].Seq,
            InputTokens = done.InputTokens, OutputTokens = done.OutputTokens, UsageModel = done.Model, TokensEstimated = done.Estimated,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
