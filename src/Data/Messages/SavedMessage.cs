namespace AgentRooms.Data.Messages;

/// <summary>A message one person saved for later: theirs alone, listed on their <c>/saved</c> page.</summary>
public class SavedMessage
{
    public string UserId { get; set; } = "";
    public long MessageId { get; set; }
    public Message? Message { get; set; }
    public DateTime SavedAt { get; set; } = DateTime.UtcNow;
}
