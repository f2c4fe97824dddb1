using AgentRooms.Data.Accounts;
using AgentRooms.Data.Messages;

namespace AgentRooms.Data.Reactions;

/// <summary>
/// One person's reaction to one message: an emoji or a few words (as Campfire's boosts). A person has
/// each reaction on a message once at most (the key), so adding it twice is adding it once.
/// </summary>
public class Reaction
{
    /// <summary>In text elements (what a person sees as characters: a flag or a family emoji is one).</summary>
    public const int TextMaxLength = 16;

    /// <summary>How many different reactions one message can carry.</summary>
    public const int MaxKindsPerMessage = 20;

    public long MessageId { get; set; }
    public Message? Message { get; set; }
    public string UserId { get; set; } = "";
    public User? User { get; set; }

    /// <summary>Stored as given, in NFC; compared exactly.</summary>
    public string Text { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
