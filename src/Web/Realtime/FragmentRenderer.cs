using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// Renders a Razor component to HTML outside a page, for pushes. Pages render the very same
/// components, so a pushed fragment and a freshly loaded page carry the same markup.
/// </summary>
public sealed class FragmentRenderer(IServiceProvider services, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly HtmlRenderer renderer = new(services, loggers);

    public Task<string> Render<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });

    /// <summary>Encoded once; the same bytes go to every socket.</summary>
    public async Task<byte[]> RenderUtf8<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        Encoding.UTF8.GetBytes(await Render<TComponent>(parameters));

    public ValueTask DisposeAsync() => renderer.DisposeAsync();
}
