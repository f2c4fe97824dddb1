namespace AgentRooms.Data.Rooms;

/// <summary>
/// Someone removed from a room, who may not rejoin it by themselves (a public room's Join): an owner
/// or admin lets them back in, or an invitation made after the removal that they accept does.
/// </summary>
public class RoomBan
{
    public int RoomId { get; set; }
    public string UserId { get; set; } = "";
    public string BannedById { get; set; } = "";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
