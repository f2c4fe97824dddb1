namespace AgentRooms.Web.Pages.Members;

/// <summary>
/// Says in the conversation that someone joined or left, as a quiet line among the messages. The
/// Messages feature writes it; a join or departure stands even if its line could not be written.
/// </summary>
public interface IMembershipLines
{
    Task Joined(int roomId, string userId);

    Task Left(int roomId, string userId, bool removed);
}
