namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// Where a node keeps its files: the SQLite database, the job queue and uploads. <c>Data:Path</c>, or
/// App_Data beside the app; the container image points it at its volume.
/// </summary>
public static class DataFolder
{
    public static string Of(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetSection("Data").Get<DataOptions>()?.Path is { Length: > 0 } path
            ? Path.GetFullPath(path, environment.ContentRootPath)
            : Path.Combine(environment.ContentRootPath, "App_Data");
}
