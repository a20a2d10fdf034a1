namespace Mcu.Sdk.Channels;

/// <summary>Splits a long reply into parts that fit a channel's limit, at paragraph, sentence or word boundaries.</summary>
public static class TextSplitter
{
    /// <summary>Splits <paramref name="text"/> into parts of at most <paramref name="maxLength"/> characters.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The largest part, at least 16 characters.</param>
    /// <returns>The parts in order; one part when the text fits; an empty text gives one empty part.</returns>
    /// <remarks>
    /// A part ends at the last paragraph break that fits, else the last sentence end, else the last whitespace; a word longer
    /// than the limit is cut, never inside a surrogate pair. Whitespace at the cut is dropped; nothing else is lost.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 16.</exception>
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 16);
        if (text.Length <= maxLength)
        {
            return [text];
        }

        var parts = new List<string>(text.Length / maxLength + 1);
        var rest = text.AsSpan();
        while (rest.Length > maxLength)
        {
            var cut = FindCut(rest, maxLength);
            var part = rest[..cut].TrimEnd();
            if (!part.IsEmpty)
            {
                parts.Add(part.ToString());
            }

            rest = rest[cut..].TrimStart();
        }

        if (!rest.IsEmpty)
        {
            parts.Add(rest.ToString());
        }

        return parts;
    }

    private static int FindCut(ReadOnlySpan<char> text, int maxLength)
    {
        var window = text[..maxLength];
        var minimum = maxLength / 3; // never produce absurdly short parts just to hit a boundary

        var paragraph = window.LastIndexOf("\n\n");
        if (paragraph >= minimum)
        {
            return paragraph + 2;
        }

        var newline = window.LastIndexOf('\n');
        if (newline >= minimum)
        {
            return newline + 1;
        }

        for (var i = window.Length - 1; i >= minimum; i--)
        {
            if (window[i] is '.' or '!' or '?' or '…' && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return i + 1;
            }
        }

        for (var i = window.Length - 1; i >= 1; i--)
        {
            if (char.IsWhiteSpace(window[i]))
            {
                return i + 1;
            }
        }

        // One word longer than the limit: cut it, keeping surrogate pairs whole.
        return char.IsHighSurrogate(window[maxLength - 1]) ? maxLength - 1 : maxLength;
    }
}
