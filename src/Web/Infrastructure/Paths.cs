namespace AgentRooms.Web.Infrastructure;

/// <summary>
/// Every address the app links to or redirects to, in one place (the pages' <c>@page</c> routes say the
/// same). Components and pushes render outside a page's routing, so they cannot ask for a page's URL.
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
    public const string Admin = "/admin";
    public const string AdminSettings = "/admin/settings";
    public const string AdminAudit = "/admin/audit";
    public const string AdminTools = "/admin/tools";
    public static string DirectWith(string userId) => $"/direct/with/{Uri.EscapeDataString(userId)}";
    public static string DirectWithAgent(int agentId) => $"/direct/agent/{agentId}";
    public static string DirectPeople(int roomId) => $"/direct/{roomId}/people";
    public static string SearchRoom(int roomId) => $"/search?room={roomId}";

    /// <summary>The room, scrolled to its newest message (without JavaScript too).</summary>
    public static string RoomLatest(int roomId) => $"/rooms/{roomId}#latest";
    public static string OlderMessages(int roomId, long beforeSeq) => $"/rooms/{roomId}?before={beforeSeq}";
    public static string RoomSettings(int roomId) => $"/rooms/{roomId}/settings";
    public static string RoomSocket(int roomId) => $"/rooms/{roomId}/live";

    /// <summary>The socket of a signed-in page that shows no room: it keeps the rooms list up to date.</summary>
    public const string PersonSocket = "/live";

    /// <summary>The shell's rooms list alone, as the page showing room <paramref name="current"/> (if any) sees it.</summary>
    public static string RoomsNav(int? current) => current is { } id ? $"/rooms/nav?current={id}" : "/rooms/nav";
    public static string Send(int roomId) => $"/rooms/{roomId}/messages";
    public static string CatchUp(int roomId) => $"/rooms/{roomId}/catch-up";

    public static string Message(int roomId, long messageId) => $"/rooms/{roomId}/messages/{messageId}";
    /// <summary>The room with the composer replying to a message (without JavaScript; room.js does it in place).</summary>
    public static string ReplyTo(int roomId, long messageId) => $"/rooms/{roomId}?reply={messageId}#composer-content";
    public static string Reactions(int roomId, long messageId) => $"/rooms/{roomId}/messages/{messageId}/reactions";
    public static string Upload(int roomId) => $"/rooms/{roomId}/attachments";
    public static string File(Guid key) => $"/files/{key:N}";
    public static string Thumbnail(Guid key) => $"/files/{key:N}/thumbnail";
    public static string Membership(int roomId, string handler) => $"/rooms/{roomId}/membership?handler={handler}";
    public static string RoomAgents(int roomId, string handler) => $"/rooms/{roomId}/agents?handler={handler}";
    public static string StopReply(int roomId, long replyId) => $"/rooms/{roomId}/agents?handler=Stop&replyId={replyId}";
    public static string AnswerAgain(int roomId, long messageId) => $"/rooms/{roomId}/agents?handler=Again&messageId={messageId}";
    public static string NewInvitation(int roomId) => $"/rooms/{roomId}/invitations/new";
    public static string Invitation(string token) => $"/invite/{token}";
    public static string EditAgent(int agentId) => $"/agents/{agentId}/edit";
}
