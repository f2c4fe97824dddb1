using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using AgentRooms.Data.Agents;
using AgentRooms.Web.Pages.Approvals;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Tools;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// One reply's use of tools: the tool servers' tools its agent may call and the built-in ones (a room's
/// knowledge, <c>room/…</c>), offered to the model as functions; at most
/// <c>Agents:MaxToolCalls</c> calls, each kept as a <see cref="ToolStep"/> and shown as it starts and
/// ends (the callback). A call over the limit is not run; the model is told so, and once
/// the limit is reached it is no longer offered tools at all (<see cref="ModelClient"/>). What a tool
/// returns goes to the model cut to <c>Agents:MaxToolResultCharacters</c>; a tool that fails tells the
/// model only that it failed. A tool in <see cref="ToolAsking.Tools"/> waits first for the person who asked to
/// allow it (<see cref="ToolApprovals"/>); the reply's deadline stands still meanwhile (<see cref="Waiting"/>).
/// Every call to a tool server says for whom it is made (<see cref="ToolAsking.Meta"/>).
/// </summary>
/// <param name="Tools">The tools (<c>server/tool</c>) that need approval.</param>
/// <param name="AskerId">Who may allow them: the person whose message set the reply off (none for a chain without one).</param>
public sealed record ToolAsking(ToolApprovals Approvals, IReadOnlySet<string> Tools, long ReplyId, int RoomId, string? AskerId)
{
    /// <summary>
    /// The MCP request's <c>_meta</c>: the room and the person the call is made for (<c>agentrooms/room</c>,
    /// <c>agentrooms/asker</c>), so that a tool server can act with that person's rights, never the agent owner's.
    /// </summary>
    public JsonObject Meta() => new() { ["agentrooms/room"] = RoomId, ["agentrooms/asker"] = AskerId };
}

public sealed class ToolRun
{
    private readonly List<ToolStep> steps = [];
    private readonly int maxCalls;
    private readonly int maxResultCharacters;
    private readonly Func<IReadOnlyList<ToolStep>, Task> changed;
    private readonly ToolAsking? asking;
    private int calls;

    public ToolRun(IReadOnlyList<OfferedTool> tools, IReadOnlyList<AIFunction> builtIn, int maxCalls, int maxResultCharacters,
        Func<IReadOnlyList<ToolStep>, Task> changed, ToolAsking? asking = null)
    {
        (this.maxCalls, this.maxResultCharacters, this.changed, this.asking) = (maxCalls, maxResultCharacters, changed, asking);
        Functions = [.. builtIn.Select(f => (AITool)new BuiltIn(f, this)), .. Named(tools).Select(t => (AITool)new Call(t.Tool, t.Name, this))];
    }

    public IReadOnlyList<ToolStep> Steps => steps.ToList();

    /// <summary>The limit is reached: the model's next request goes without tools.</summary>
    public bool Spent => calls >= maxCalls;

    /// <summary>Set by whoever runs the reply: called as a call starts to wait for approval; disposing it ends the wait.</summary>
    public Func<IDisposable>? Waiting { get; set; }

    /// <summary>The tools as the model sees them, named as their servers name them (with the server's name where two share one).</summary>
    public IList<AITool> Functions { get; }

    private static IEnumerable<(OfferedTool Tool, string Name)> Named(IReadOnlyList<OfferedTool> tools)
    {
        var twice = tools.GroupBy(t => Safe(t.Tool.Name)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return tools.Select(t => (t, twice.Contains(Safe(t.Tool.Name)) ? Safe($"{t.Server}_{t.Tool.Name}") : Safe(t.Tool.Name)));
    }

    /// <summary>A function name as chat APIs take it: letters, digits, _ and -, at most 64.</summary>
    private static string Safe(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return safe.Length > 64 ? safe[..64] : safe.Length == 0 ? "tool" : safe;
    }

    private async Task<string> Invoke(string id, AIFunctionArguments arguments, Func<CancellationToken, ValueTask<(string Text, bool Failed)>> call,
        CancellationToken cancel)
    {
        if (Interlocked.Increment(ref calls) > maxCalls)
            return $"Not run: a reply may call tools at most {maxCalls} times. Answer with what you have.";
        var index = steps.Count;
        steps.Add(new ToolStep(id, ToolStep.Short(JsonSerializer.Serialize(arguments.ToDictionary(a => a.Key, a => a.Value))), null));
        if (asking is not null && asking.Tools.Contains(id) && await Approved(index, cancel) is { } refused)
            return refused;
        await changed(Steps);
        try
        {
            var (text, failed) = await call(cancel);
            steps[index] = steps[index] with { Result = ToolStep.Short(text), Failed = failed };
            var forModel = text.Length > maxResultCharacters ? text[..maxResultCharacters] + " [cut]" : text;
            return failed ? $"The tool reported an error: {forModel}" : forModel;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            steps[index] = steps[index] with { Result = "The tool could not be run.", Failed = true };
            return "The tool could not be run.";
        }
        finally
        {
            await changed(Steps);
        }
    }

    /// <summary>
    /// Asks the person who asked whether step <paramref name="index"/> may run, and waits: null when allowed,
    /// else what the model is told. A reply that ends meanwhile (Stop, the job) leaves the step not run.
    /// </summary>
    private async Task<string?> Approved(int index, CancellationToken cancel)
    {
        if (asking!.AskerId is not { } asker)
        {
            steps[index] = steps[index] with { Result = "Not run: no person asked, so nobody could allow it.", Failed = true };
            await changed(Steps);
            return "Not run: this tool needs the approval of the person who asked, and no person asked. Answer without it.";
        }
        var approval = await asking.Approvals.Ask(asking.ReplyId, asking.RoomId, asker, steps[index].Tool, steps[index].Arguments);
        steps[index] = steps[index] with { Approval = new StepApproval(approval.Id, asker, ApprovalDecision.Waiting) };
        await changed(Steps);
        ApprovalDecision decision;
        using (Waiting?.Invoke())
        {
            try
            {
                decision = await asking.Approvals.Wait(approval, cancel);
            }
            catch (OperationCanceledException)
            {
                steps[index] = steps[index] with
                {
                    Approval = steps[index].Approval! with { Decision = ApprovalDecision.Expired }, Result = "Not run: the reply ended first.", Failed = true,
                };
                await changed(Steps);
                throw;
            }
        }
        steps[index] = steps[index] with { Approval = steps[index].Approval! with { Decision = decision } };
        if (decision == ApprovalDecision.Allowed)
            return null;
        steps[index] = steps[index] with
        {
            Result = decision == ApprovalDecision.Denied ? "Denied by the person who asked." : "Not run: nobody allowed it in time.", Failed = true,
        };
        await changed(Steps);
        return decision == ApprovalDecision.Denied
            ? "Not run: the person who asked denied this call. Do not try it again; answer without it."
            : "Not run: the person who asked did not allow this call in time. Answer without it.";
    }

    /// <summary>One tool as a function the model may call: its server's name, description and schema; calls go through the run.</summary>
    private sealed class Call(OfferedTool offered, string name, ToolRun run) : DelegatingAIFunction(offered.Tool)
    {
        public override string Name => name;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            await run.Invoke(offered.Id, arguments, async cancel =>
            {
                var result = await offered.Tool.CallAsync(arguments, options: run.asking is { } asking ? new RequestOptions { Meta = asking.Meta() } : null,
                    cancellationToken: cancel);
                return (string.Join("\n", result.Content.Select(block => block is TextContentBlock written ? written.Text : $"[{block.Type}]")), result.IsError == true);
            }, cancellationToken);
    }

    /// <summary>A tool of the app's own (<c>room/search_room</c>…), counted and shown as the others are.</summary>
    private sealed class BuiltIn(AIFunction inner, ToolRun run) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            await run.Invoke($"room/{Name}", arguments, async cancel => ((await InnerFunction.InvokeAsync(arguments, cancel))?.ToString() ?? "", false), cancellationToken);
    }
}
