using System.Text.Json;
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
/// model only that it failed.
/// </summary>
public sealed class ToolRun
{
    private readonly List<ToolStep> steps = [];
    private readonly int maxCalls;
    private readonly int maxResultCharacters;
    private readonly Func<IReadOnlyList<ToolStep>, Task> changed;
    private int calls;

    public ToolRun(IReadOnlyList<OfferedTool> tools, IReadOnlyList<AIFunction> builtIn, int maxCalls, int maxResultCharacters, Func<IReadOnlyList<ToolStep>, Task> changed)
    {
        (this.maxCalls, this.maxResultCharacters, this.changed) = (maxCalls, maxResultCharacters, changed);
        Functions = [.. builtIn.Select(f => (AITool)new BuiltIn(f, this)), .. Named(tools).Select(t => (AITool)new Call(t.Tool, t.Name, this))];
    }

    public IReadOnlyList<ToolStep> Steps => steps.ToList();

    /// <summary>The limit is reached: the model's next request goes without tools.</summary>
    public bool Spent => calls >= maxCalls;

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

    /// <summary>One tool as a function the model may call: its server's name, description and schema; calls go through the run.</summary>
    private sealed class Call(OfferedTool offered, string name, ToolRun run) : DelegatingAIFunction(offered.Tool)
    {
        public override string Name => name;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            await run.Invoke(offered.Id, arguments, async cancel =>
            {
                var result = await offered.Tool.CallAsync(arguments, cancellationToken: cancel);
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
