using AgentRooms.Data.Agents;

namespace AgentRooms.Data.Messages;

public class MessageMention
{
    public long MessageId { get; set; }
    public Message? Message { get; set; }
    public int AgentId { get; set; }
    public Agent? Agent { get; set; }
}
