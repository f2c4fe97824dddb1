using System.Globalization;
using System.Text;
using AgentRooms.Data;
using AgentRooms.Data.Messages;
using AgentRooms.Data.Reactions;
using AgentRooms.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace AgentRooms.Web.Pages.Reactions;

/// <summary>
/// Adds and removes one person's reaction to a message, then tells the room with one fragment (the
/// message's reactions as they now stand). Both are idempotent: adding what is there, or removing what
/// is not, changes nothing. Changes to one message are made one at a time on this node, so the last
/// fragment sent is the last state.
/// </summary>
public sealed class Reacting(AppDbContext db, FragmentRenderer renderer, IRoomBroadcaster broadcaster)
{
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Offered in the palette; anything else of up to 16 characters may be typed.</summary>
    public static readonly string[] Common = ["👍", "❤️", "😂", "🎉", "🤔", "👀", "🙏", "✅"];

    /// <summary>The reaction as stored (trimmed, NFC), or why it cannot be one.</summary>
    public static (string? Text, string? Error) Read(string? input)
    {
        var text = (input ?? "").Trim().Normalize(NormalizationForm.FormC);
        if (text.Length == 0)
            return (null, "Pick an emoji or type a reaction.");
        if (new StringInfo(text).LengthInTextElements > Reaction.TextMaxLength || text.Length > 64)
            return (null, $"A reaction is at most {Reaction.TextMaxLength} characters.");
        // Joiners and variation selectors build emoji; other invisible or control characters have no place here.
        if (text.Any(Unwanted))
            return (null, "A reaction can't contain invisible or control characters.");
        return (text, null);
    }

    private static bool Unwanted(char c) => c is not '\u200D' and not '\uFE0F'
        && (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    /// <summary>Null when done; otherwise what stopped it, in words for the person.</summary>
    public async Task<string?> Set(Message message, string userId, string text, bool on, CancellationToken cancel = default)
    {
        var stripe = Stripes[(int)(message.Id % Stripes.Length)];
        await stripe.WaitAsync(cancel);
        try
        {
            if (on)
            {
                var kinds = await db.Reactions.Where(r => r.MessageId == message.Id).Select(r => r.Text).Distinct().ToListAsync(cancel);
                if (!kinds.Contains(text, StringComparer.Ordinal) && kinds.Count >= Reaction.MaxKindsPerMessage)
                    return $"This message already has {Reaction.MaxKindsPerMessage} different reactions. Add to one of those.";
                if (!await db.Reactions.AnyAsync(r => r.MessageId == message.Id && r.UserId == userId && r.Text == text, cancel))
                {
                    db.Reactions.Add(new Reaction { MessageId = message.Id, UserId = userId, Text = text });
                    try
                    {
                        await db.SaveChangesAsync(cancel);
                    }
                    catch (DbUpdateException)
                    {
                        // The same person adding the same reaction at once on another node: it is there, as asked.
                        db.ChangeTracker.Clear();
                    }
                }
            }
            else
            {
                await db.Reactions.Where(r => r.MessageId == message.Id && r.UserId == userId && r.Text == text).ExecuteDeleteAsync(cancel);
            }
            var now = await ReactionShown.Of(db, [message.Id], cancel);
            await broadcaster.Publish(message.RoomId, await renderer.RenderUtf8(
                ReactionsView.Replacing(message.RoomId, message.Id, now.GetValueOrDefault(message.Id) ?? [])));
            return null;
        }
        finally
        {
            stripe.Release();
        }
    }
}

/// <summary>The palette's form: for one message, or (<see cref="MessageId"/> 0) the room page's one that room.js points at a message.</summary>
public sealed record ReactionPaletteModel(int RoomId, long MessageId, string Id)
{
    public static ReactionPaletteModel ForRoom(int roomId) => new(roomId, 0, "palette");
    public static ReactionPaletteModel ForMessage(int roomId, long messageId) => new(roomId, messageId, "react-form");
}
