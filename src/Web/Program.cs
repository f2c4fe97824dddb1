using AgentRooms.Web.Realtime;
using AgentRooms.Web.Setup;

var builder = WebApplication.CreateBuilder(args);

builder.AddAppData();
builder.AddRedis();
builder.AddAccounts();
builder.AddWebUi();
builder.AddForwardedHeaders();
builder.AddRooms();
builder.AddInvitations();
builder.AddAgents();

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/status/{0}");
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseRoomSockets();

app.MapRazorPages();
app.MapHealthEndpoint();
app.MapRoomSockets();
app.MapAgents();

app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
