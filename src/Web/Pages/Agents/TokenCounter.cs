using Microsoft.ML.Tokenizers;

namespace AgentRooms.Web.Pages.Agents;

/// <summary>
/// Counts tokens where a model reported none: with OpenAI's own tokenizer (o200k, through
/// Microsoft.ML.Tokenizers) for OpenAI-style models, and otherwise cautiously (a token for every three
/// characters, more than most tokenizers make of ordinary text), so a budget is never undercounted by much.
/// </summary>
public sealed class TokenCounter
{
    private readonly Lazy<Tokenizer> openAi = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Tokens a chat message costs besides its text (its role and separators), as OpenAI counts them.</summary>
    public const int PerMessage = 4;

    public int Count(string? model, string text)
    {
        if (text.Length == 0)
            return 0;
        return IsOpenAiStyle(model) ? openAi.Value.CountTokens(text) : (text.Length + 2) / 3;
    }

    public int Count(string? model, IEnumerable<string> messages) => messages.Sum(text => Count(model, text) + PerMessage);

    private static bool IsOpenAiStyle(string? model) =>
        model is not null && (model.StartsWith("gpt-", StringComparison.OrdinalIgnoreCase) || model.StartsWith("chatgpt", StringComparison.OrdinalIgnoreCase)
                              || model.Length > 1 && model[0] is 'o' or 'O' && char.IsAsciiDigit(model[1]));
}
