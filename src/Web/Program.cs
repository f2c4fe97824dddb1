using AgentRooms.Web.Pages.Accounts;
using AgentRooms.Web.Pages.Admin;
using AgentRooms.Web.Pages.Agents;
using AgentRooms.Web.Pages.Approvals;
using AgentRooms.Web.Pages.Attachments;
using AgentRooms.Web.Pages.Direct;
using AgentRooms.Web.Pages.Export;
using AgentRooms.Web.Pages.Invitations;
using AgentRooms.Web.Pages.Knowledge;
using AgentRooms.Web.Pages.Members;
using AgentRooms.Web.Pages.Reactions;
using AgentRooms.Web.Pages.Messages;
using AgentRooms.Web.Pages.Notes;
using AgentRooms.Web.Pages.Notifications;
using AgentRooms.Web.Pages.Pins;
using AgentRooms.Web.Pages.Private;
using AgentRooms.Web.Pages.Rooms;
using AgentRooms.Web.Pages.Schedules;
using AgentRooms.Web.Pages.Search;
using AgentRooms.Web.Pages.Tools;
using AgentRooms.Web.Pages.Webhooks;
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
builder.AddApprovals();
builder.AddSearch();
builder.AddReactions();
builder.AddDirect();
builder.AddAttachments();
builder.AddKnowledge();
builder.AddNotes();
builder.AddWebhooks();
builder.AddExport();
builder.AddPins();
builder.AddPrivateAnswers();
builder.AddSchedules();
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
app.MapWebhooks();

app.Run();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
