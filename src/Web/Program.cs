using AgentRooms.Web.Setup;

var builder = WebApplication.CreateBuilder(args);

builder.AddAppData();
builder.AddAccounts();
builder.AddWebUi();

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

app.MapRazorPages();
app.MapHealthEndpoint();

app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
