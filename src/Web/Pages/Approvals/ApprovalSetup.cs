namespace AgentRooms.Web.Pages.Approvals;

public static class ApprovalSetup
{
    /// <summary>Tool calls that wait for the person who asked (<c>Agents:ApprovalTimeout</c>).</summary>
    public static void AddApprovals(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApprovalOptions>()
            .Bind(builder.Configuration.GetSection("Agents"))
            .Validate(o => o.ApprovalTimeout >= TimeSpan.FromSeconds(1), "Agents:ApprovalTimeout is at least a second (hh:mm:ss)")
            .ValidateOnStart();
        builder.Services.AddScoped<ToolApprovals>();
    }
}
