namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// Every address the app links to or redirects to from code, in one place, as plain string building
/// (it runs for every message rendered). Views link with the tag helpers (<c>asp-page</c>,
/// <c>hx-page</c>) from the route table; components and pushes render outside a page's routing, so
/// they use these. A test resolves every builder here against the app's route table (and each
/// <c>?handler=</c> against the page's handlers), so a route changed in one place fails until both agree.
/// </summary>
public static class Paths
{
    public const string Rooms = "/rooms";
    public const string NewRoom = "/rooms/new";
    public const string Agents = "/agents";
    public const string NewAgent = "/agents/new";
    public const string SignIn = "/Account/Login";
    public const string SignOut = "/Account/Logout";
    public const string Register = "/Account/Register";
    public const string ForgotPassword = "/Account/ForgotPassword";
    public const string ResetPassword = "/Account/ResetPassword";
    public const string ConfirmEmail = "/Account/ConfirmEmail";
    public const string CheckEmail = "/Account/CheckEmail";
    public const string Profile = "/Account/Profile";

    public static string Room(int roomId) => $"/rooms/{roomId}";
    public static string RoomAt(int roomId, long messageId) => $"/rooms/{roomId}#message-{messageId}";

    /// <summary>The room opened at one message, however old: the page around it, the message highlighted (search results, quotes, mentions).</summary>
    public static string MessageInRoom(int roomId, long messageId) => $"/rooms/{roomId}?at={messageId}#message-{messageId}";
    public const string Search = "/search";
    public const string Mentions = "/mentions";
    public const string Saved = "/saved";
    public const string Admin = "/admin";
    public const string AdminSettings = "/admin/settings";
    public const string AdminAudit = "/admin/audit";
    public const string AdminTools = "/admin/tools";

    /// <summary>The job dashboard (Hangfire's), for site administrators.</summary>
    public const string Jobs = "/hangfire";

    /// <summary>Web Push: the site's public key, and a browser's subscription made and removed (site.js calls them).</summary>
    public const string PushKey = "/notifications/key";
    public const string PushSubscribe = "/notifications/subscriptions";
    public const string PushUnsubscribe = "/notifications/subscriptions/remove";
    public static string DirectWith(string userId) => $"/direct/with/{Uri.EscapeDataString(userId)}";
    public static string DirectWithAgent(int agentId) => $"/direct/agent/{agentId}";
    public static string DirectPeople(int roomId) => $"/direct/{roomId}/people";
    public static string SearchRoom(int roomId) => $"/search?room={roomId}";

    /// <summary>The room, scrolled to its newest message (without JavaScript too).</summary>
    public static string RoomLatest(int roomId) => $"/rooms/{roomId}#latest";
    public static string RoomSettings(int roomId) => $"/rooms/{roomId}/settings";
    public static string RoomNotes(int roomId) => $"/rooms/{roomId}/notes";
    public static string RoomSchedules(int roomId) => $"/rooms/{roomId}/schedules";
    public static string RoomSocket(int roomId) => $"/rooms/{roomId}/live";

    /// <summary>The socket of a signed-in page that shows no room: it keeps the rooms list up to date.</summary>
    public const string PersonSocket = "/live";
    public static string Send(int roomId) => $"/rooms/{roomId}/messages";
    /// <summary>"Ask privately": the composer's question to one agent, answered to the asker alone.</summary>
    public static string AskPrivately(int roomId) => $"/rooms/{roomId}/private";
    public static string SharePrivate(int roomId, long answerId) => $"/rooms/{roomId}/private/{answerId}/share";
    public static string CatchUp(int roomId) => $"/rooms/{roomId}/catch-up";

    public static string Message(int roomId, long messageId) => $"/rooms/{roomId}/messages/{messageId}";
    public static string Answer(int roomId, long messageId, int answer) => $"{Message(roomId, messageId)}?answer={answer}";
    /// <summary>The room with the composer replying to a message (without JavaScript; room.js does it in place).</summary>
    public static string ReplyTo(int roomId, long messageId) => $"/rooms/{roomId}?reply={messageId}#composer-content";
    public static string Reactions(int roomId, long messageId) => $"/rooms/{roomId}/messages/{messageId}/reactions";
    public static string Upload(int roomId) => $"/rooms/{roomId}/attachments";
    public static string File(Guid key) => $"/files/{key:N}";
    public static string Thumbnail(Guid key) => $"/files/{key:N}/thumbnail";
    public static string StopReply(int roomId, long replyId) => $"/rooms/{roomId}/agents?handler=Stop&replyId={replyId}";
    /// <summary>A tool call waiting for the person who asked: "Allow once" and "Deny" post here.</summary>
    public static string Approval(int roomId, long approvalId) => $"/rooms/{roomId}/approvals/{approvalId}";
    /// <summary>The room's pinned messages (a page without JavaScript); Pin and Unpin post here.</summary>
    public static string Pin(int roomId) => $"/rooms/{roomId}/pins";
    public static string AnswerAgain(int roomId, long messageId) => $"/rooms/{roomId}/agents?handler=Again&messageId={messageId}";
    /// <summary>An incoming webhook's address (its secret token in it).</summary>
    public static string Hook(string token) => $"/hooks/{token}";
    public static string RoomWebhooks(int roomId) => $"/rooms/{roomId}/webhooks";
    public static string ExportRoom(int roomId) => $"/rooms/{roomId}/export";
    public static string NewInvitation(int roomId) => $"/rooms/{roomId}/invitations/new";
    public static string Invitation(string token) => $"/invite/{token}";
    public static string EditAgent(int agentId) => $"/agents/{agentId}/edit";
}
