using System.Text.Json;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>
/// What an agent's reply was given besides its instructions, for the reply's "What this used": how
/// many of the room's messages (and from when to when), whether the room's rolling summary, which of the
/// asking message's files, how many passages found by the question's words, and how many of the room's
/// notes and pinned messages. The same for every viewer.
/// </summary>
public sealed record ContextUsed(int Messages, DateTime? From, DateTime? To, bool Summary, IReadOnlyList<string> Files, int Passages, int Notes = 0, int Pinned = 0)
{
    public string Write() => JsonSerializer.Serialize(this);

    public static ContextUsed? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ContextUsed>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
