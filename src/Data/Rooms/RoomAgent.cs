using AgentRooms.Data.Agents;

namespace AgentRooms.Data.Rooms;

/// <summary>An agent taking part in a room.</summary>
public class RoomAgent
{
    public int RoomId { get; set; }
    public Room? Room { get; set; }
    public int AgentId { get; set; }
    public Agent? Agent { get; set; }

    /// <summary>
    /// The agent's handle, copied here so the database itself can refuse two agents with one
    /// handle in one room (unique on RoomId + Handle). Kept in step when the agent is renamed.
    /// </summary>
    public string Handle { get; set; } = "";

    public string AddedById { get; set; } = "";
    public DateTime AddedAt { get; set; } = DateTime.UtcNow;
}
