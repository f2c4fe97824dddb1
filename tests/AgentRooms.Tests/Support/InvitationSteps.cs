using System.Net;

namespace AgentRooms.Tests.Support;

public static class InvitationSteps
{
    /// <summary>Creates an invite link through the room page and returns its path (/invite/...).</summary>
    public static async Task<string> CreateInvite(this Visitor visitor, int roomId, string expires = "7", string maxUses = "")
    {
        var page = await visitor.Submit($"/rooms/{roomId}/invitations/new", "Create invite link",
            new Dictionary<string, string> { ["Invite.Expires"] = expires, ["Invite.MaxUses"] = maxUses });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var link = page.Document.QuerySelector("input#invite-link")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No invite link shown");
        return new Uri(link).AbsolutePath;
    }

    public static async Task<Visitor.Page> AcceptInvite(this Visitor visitor, string invitePath)
    {
        var landing = await visitor.Get(invitePath);
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        return await landing.Submit(visitor, "Join room", new Dictionary<string, string>());
    }
}
