using AgentRooms.Data.Agents;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>A room's agents as one viewer sees them: which they may remove, and their own agents they may add.</summary>
/// <param name="MyAgents">What the viewer may add: their own agents, then those others share.</param>
public sealed record AgentsPanelModel(int RoomId, IReadOnlyList<RoomAgentRow> RoomAgents, IReadOnlyList<Agent> MyAgents, string ViewerId = "");

public sealed record RoomAgentRow(int AgentId, string Name, string Emoji, string Handle, bool Removable);

