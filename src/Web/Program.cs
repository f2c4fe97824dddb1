using AgentRooms.Web.Features.Accounts;
using AgentRooms.Web.Features.Admin;
using AgentRooms.Web.Features.Agents;
using AgentRooms.Web.Features.Attachments;
using AgentRooms.Web.Features.Direct;
using AgentRooms.Web.Features.Invitations;
using AgentRooms.Web.Features.Members;
using AgentRooms.Web.Features.Reactions;
using AgentRooms.Web.Features.Messages;
using AgentRooms.Web.Features.Notifications;
using AgentRooms.Web.Features.Rooms;
using AgentRooms.Web.Features.Search;
using AgentRooms.Web.Features.Tools;
using AgentRooms.Web.Infrastructure;
using AgentRooms.Web.Realtime;

// "backup <file>" and "restore <file>" do their work and end; anything else runs the app.
if (await DataCommands.Run(args) is { } exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(args);

builder.AddAppData();
builder.AddObservability();
builder.AddRedis();
builder.AddWebUi();
builder.AddForwardedHeaders();
builder.AddRealtime();
builder.AddAccounts();
builder.AddAdministration();
builder.AddMembers();
builder.AddMessages();
builder.AddRooms();
builder.AddInvitations();
builder.AddAgents();
builder.AddTools();
builder.AddSearch();
builder.AddReactions();
builder.AddDirect();
builder.AddAttachments();
builder.AddNotifications();

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/status/{0}");
app.UseResponseCompression();
app.UseStaticFilesCached();
// Before authentication, which checks a socket's sign-in apart (Sessions.Validate) once it knows it is one.
app.UseRoomSockets();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapObservability();

app.MapRazorPages();
app.MapHealthEndpoint();
app.MapRoomSockets();
app.MapAgents();
app.MapAttachments();
app.MapNotifications();

app.Run();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
