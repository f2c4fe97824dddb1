using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Knowledge;

/// <summary>The <c>Knowledge</c> settings.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>How often each node looks for shared files whose text is still to be read (<c>Knowledge:ReadInterval</c>).</summary>
    public TimeSpan ReadInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Reads shared files' text in the background (<see cref="FileText"/>), a few at a time, so an agent's
/// search finds them without waiting. An agent that searches before this reaches a file reads it then.
/// Several nodes may read at once; each file's text is saved once.
/// </summary>
public sealed class FileReader(IServiceScopeFactory scopes, IOptions<KnowledgeOptions> options, ILogger<FileReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.ReadInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var files = scope.ServiceProvider.GetRequiredService<FileText>();
                    while (await files.ReadPending(null, 10, stopping) == 10)
                    {
                    }
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Reading shared files' text failed; trying again in {Interval}", options.Value.ReadInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
