using System.Globalization;

namespace AgentRooms.Web.Pages.Messages;

/// <summary>A sender's avatar: an agent's emoji or a person's initials, on a colour that stays the same for them everywhere.</summary>
public static class Avatar
{
    public const int Hues = 8;

    /// <summary>The first letter of the first two words ("Ada Lovelace" → "AL"), or of the one word ("Ada" → "A").</summary>
    public static string Initials(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var initials = words.Take(2).Select(word => StringInfo.GetNextTextElement(word, 0).ToUpperInvariant());
        var text = string.Concat(initials);
        return text.Length == 0 ? "?" : text;
    }

    /// <summary>One of <see cref="Hues"/> colours, the same on every node and after every restart (FNV-1a, not string.GetHashCode).</summary>
    public static int Hue(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Hues);
    }
}
