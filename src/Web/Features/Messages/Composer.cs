using AgentRooms.Data;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Features.Messages;

/// <summary>The composer as shown: a draft kept across a refused send, and why it was refused.</summary>
public sealed record ComposerModel(int RoomId, string Content, Guid ClientMessageId, string? Error)
{
    /// <summary>For the composer's @ suggestions.</summary>
    public IReadOnlyList<string> AgentHandles { get; init; } = [];

    public static async Task<ComposerModel> WithHandles(AppDbContext db, ComposerModel composer) => composer with
    {
        AgentHandles = await db.RoomAgents.Where(ra => ra.RoomId == composer.RoomId).Select(ra => ra.Handle).OrderBy(h => h).ToListAsync(),
    };
}

/// <summary>What the composer posts.</summary>
public class ComposerInput
{
    public string? Content { get; set; }
    public Guid ClientMessageId { get; set; }
}
