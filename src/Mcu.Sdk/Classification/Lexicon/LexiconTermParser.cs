using System.Buffers;
using System.Text;
using Mcu.Sdk.Classification.Text;

namespace Mcu.Sdk.Classification;

/// <summary>One word of a parsed term: a stem, or an exact word form.</summary>
/// <param name="Value">The stem or the word form, normalized.</param>
/// <param name="IsExactWord">Whether the value is an exact word form (<c>word:</c>) rather than a stem.</param>
internal readonly record struct TermToken(string Value, bool IsExactWord);

/// <summary>Turns a term as people write it into the stems and word forms the matcher compares.</summary>
internal static class LexiconTermParser
{
    /// <summary>The most words a term may have.</summary>
    public const int MaxTokens = 6;

    /// <summary>Words up to this length are never stemmed, in terms and in texts alike.</summary>
    public const int MaxExactLength = 2;

    public const string StemPrefix = "stem:";
    public const string WordPrefix = "word:";

    private static readonly SearchValues<char> Separators = SearchValues.Create(" ,.;:!?\t\r\n");

    /// <summary>Parses a term's text into tokens; returns an error message instead of throwing.</summary>
    public static bool TryParse(string text, IReadOnlyDictionary<string, string> stemOverrides, List<TermToken> tokens, out string error)
    {
        tokens.Clear();
        error = string.Empty;
        foreach (var piece in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (piece.StartsWith(StemPrefix, StringComparison.OrdinalIgnoreCase) || piece.StartsWith(WordPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var exact = piece.StartsWith(WordPrefix, StringComparison.OrdinalIgnoreCase);
                var value = piece[StemPrefix.Length..];
                if (!TryNormalizeSingleWord(value, out var normalized))
                {
                    error = $"In the term '{text}', '{piece}' must be followed by one word without spaces or punctuation.";
                    return false;
                }

                tokens.Add(new TermToken(normalized, exact));
            }
            else
            {
                if (piece.Contains(':', StringComparison.Ordinal))
                {
                    error = $"In the term '{text}', '{piece}' has an unknown prefix: use '{StemPrefix}' for a stem or '{WordPrefix}' for an exact word form.";
                    return false;
                }

                AddPlainWords(piece, stemOverrides, tokens);
            }

            if (tokens.Count > MaxTokens)
            {
                error = $"The term '{text}' has more than {MaxTokens} words.";
                return false;
            }
        }

        if (tokens.Count == 0)
        {
            error = string.IsNullOrWhiteSpace(text) ? "A term is empty." : $"The term '{text}' has no words (only punctuation or symbols).";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Returns the key that identifies a term within its target: the same stems, in any order (phrases match in any order),
    /// make the same key.
    /// </summary>
    public static string Key(string target, List<TermToken> tokens)
    {
        var parts = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            parts[i] = (tokens[i].IsExactWord ? "=" : "~") + tokens[i].Value;
        }

        Array.Sort(parts, StringComparer.Ordinal);
        var builder = new StringBuilder(target.Length + 32);
        builder.Append(target).Append('|').AppendJoin(' ', parts);
        return builder.ToString();
    }

    /// <summary>The stem the lexicon uses for a normalized word: its override, or the stemmer's result.</summary>
    public static string CanonicalStem(string word, IReadOnlyDictionary<string, string> stemOverrides) =>
        stemOverrides.TryGetValue(word, out var stem) ? stem : RussianStemmer.Stem(word);

    /// <summary>Normalizes a text that must be exactly one word or number; returns false otherwise.</summary>
    public static bool TryNormalizeSingleWord(string value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var buffer = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            var tokenizer = new TextTokenizer(value, buffer);
            if (!tokenizer.MoveNext() || tokenizer.CurrentStart != 0)
            {
                return false;
            }

            var word = tokenizer.Current.ToString();
            if (tokenizer.MoveNext() || value.AsSpan().ContainsAny(Separators))
            {
                return false;
            }

            normalized = word;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static void AddPlainWords(string piece, IReadOnlyDictionary<string, string> stemOverrides, List<TermToken> tokens)
    {
        var buffer = ArrayPool<char>.Shared.Rent(piece.Length);
        try
        {
            var tokenizer = new TextTokenizer(piece, buffer);
            while (tokenizer.MoveNext())
            {
                // Numbers and words of one or two letters (не, на, до, тв) are matched as they are: stemming them
                // would only make them collide with the stems of longer words (нее → не).
                var word = tokenizer.Current.ToString();
                tokens.Add(tokenizer.CurrentKind == TokenKind.Number || word.Length <= MaxExactLength
                    ? new TermToken(word, IsExactWord: true)
                    : new TermToken(CanonicalStem(word, stemOverrides), IsExactWord: false));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
