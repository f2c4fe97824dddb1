using Microsoft.Extensions.Options;

namespace AgentRooms.Web.Pages.Tools;

public static class ToolSetup
{
    /// <summary>The site's tool servers (<c>AI:ToolServers</c>), one connection each per node.</summary>
    public static void AddTools(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ToolOptions>()
            .Bind(builder.Configuration.GetSection("Tools"))
            .Configure(options => options.Servers = ToolOptions.Read(builder.Configuration.GetSection("AI:ToolServers")))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ToolOptions>, Validation>();
        builder.Services.AddSingleton<ToolServers>();
        builder.Services.AddScoped<ToolRules>();
    }

    /// <summary>A mistake in the settings stops the app at start, saying which entry and what is wrong.</summary>
    private sealed class Validation : IValidateOptions<ToolOptions>
    {
        public ValidateOptionsResult Validate(string? name, ToolOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
