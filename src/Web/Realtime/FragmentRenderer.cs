using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AgentRooms.Web.Realtime;

/// <summary>
/// Renders a Razor component to HTML outside a page, for pushes. Pages render the very same
/// components, so a pushed fragment and a freshly loaded page carry the same markup.
/// </summary>
public sealed class FragmentRenderer : IAsyncDisposable
{
    // The renderer lives as long as the app; it gets a scope of its own for the scoped services components use.
    private readonly AsyncServiceScope scope;
    private readonly HtmlRenderer renderer;

    public FragmentRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        scope = scopes.CreateAsyncScope();
        renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
    }

    public Task<string> Render<TComponent>(Fragment<TComponent> fragment) where TComponent : IComponent =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(fragment.Parameters));
            return output.ToHtmlString();
        });

    /// <summary>Encoded once; the same bytes go to every socket.</summary>
    public async Task<byte[]> RenderUtf8<TComponent>(Fragment<TComponent> fragment) where TComponent : IComponent =>
        Encoding.UTF8.GetBytes(await Render(fragment));

    public async ValueTask DisposeAsync()
    {
        await renderer.DisposeAsync();
        await scope.DisposeAsync();
    }
}

/// <summary>
/// A component with its parameters, ready to render. Each component makes its own (a static method
/// beside its <c>[Parameter]</c>s), so callers pass typed values, never a dictionary of names.
/// </summary>
public readonly record struct Fragment<TComponent>(Dictionary<string, object?> Parameters) where TComponent : IComponent;
