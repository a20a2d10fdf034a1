using System.Buffers;

namespace Mcu.Sdk.Classification.Text;

/// <summary>
/// Brings citizens' text to the canonical form the classifier matches against: lower case, <c>е</c> for <c>ё</c>,
/// and Cyrillic letters in place of Latin look-alikes typed inside Russian words.
/// </summary>
/// <remarks>
/// <para>The rules, applied to each word (a run of Cyrillic and Latin letters):</para>
/// <list type="bullet">
/// <item><description>Letters are lower-cased with the invariant culture, and <c>ё</c> becomes <c>е</c>.</description></item>
/// <item><description>
/// When a word mixes Cyrillic and Latin letters and every Latin letter in it has a Cyrillic look-alike, the Latin letters
/// are replaced: <c>a b c e h k m o p t x y</c> (of either case) become <c>а в с е н к м о р т х у</c>, so <c>пoдъезд</c>
/// typed with a Latin <c>o</c> becomes <c>подъезд</c>. A purely Latin word (<c>wifi</c>) is left alone, and so is a word
/// with a Latin letter that has no look-alike (<c>iphoneом</c>), which is a deliberate mix rather than a typo.
/// </description></item>
/// <item><description>
/// Combining marks are removed from words: stress marks (<c>за́мок</c> → <c>замок</c>), and a decomposed <c>й</c> or
/// <c>ё</c> (<c>и</c> or <c>е</c> followed by a combining breve or diaeresis) becomes <c>й</c> or <c>е</c>. Soft hyphens and
/// zero-width characters (U+00AD, U+200B–U+200D, U+2060, U+FEFF) inside a word are removed and do not split it.
/// </description></item>
/// </list>
/// <para>
/// Outside words, characters are only lower-cased. The result is never longer than the input. All members are
/// thread-safe; the span overload does not allocate.
/// </para>
/// </remarks>
public static class TextNormalizer
{
    private const int StackBufferLength = 256;

    /// <summary>Normalizes a text into a caller-supplied buffer without allocating.</summary>
    /// <param name="text">The text to normalize.</param>
    /// <param name="destination">
    /// The buffer that receives the normalized text; at least as long as <paramref name="text"/>. It may be the very
    /// memory of <paramref name="text"/> (normalizing in place).
    /// </param>
    /// <returns>
    /// The length of the normalized text written to the start of <paramref name="destination"/>; it equals the length of
    /// <paramref name="text"/> unless combining marks or zero-width characters were removed from words.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="text"/>.</exception>
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < text.Length)
        {
            throw new ArgumentException(
                $"The destination buffer ({destination.Length} characters) is shorter than the text ({text.Length} characters).",
                nameof(destination));
        }

        // Writing never gets ahead of reading (written <= i), so text and destination may be the same memory.
        var written = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsWordLetter(c))
            {
                var end = ScanWord(text, i, out var foldLookAlikes);
                written += NormalizeWord(text[i..end], destination[written..], foldLookAlikes);
                i = end;
            }
            else
            {
                destination[written++] = char.ToLowerInvariant(c);
                i++;
            }
        }

        return written;
    }

    /// <summary>Normalizes a text.</summary>
    /// <param name="text">The text to normalize.</param>
    /// <returns>The normalized text; the same instance when normalization changes nothing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        char[]? rented = null;
        var buffer = text.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var length = Normalize(text, buffer);
            var normalized = buffer[..length];
            return normalized.SequenceEqual(text) ? text : new string(normalized);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns whether a character is a Cyrillic or Latin letter, the characters words are made of.</summary>
    internal static bool IsWordLetter(char c) => IsCyrillicLetter(c) || IsLatinLetter(c);

    /// <summary>
    /// Finds the end of the word that starts with the letter at <paramref name="start"/>: the first character that is not a
    /// letter, a combining mark or a zero-width character. Hyphens and apostrophes end words.
    /// </summary>
    internal static int ScanWord(ReadOnlySpan<char> text, int start, out bool foldLookAlikes)
    {
        bool hasCyrillic = false, hasLatin = false, hasLatinWithoutLookAlike = false;
        var i = start;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (IsCyrillicLetter(c))
            {
                hasCyrillic = true;
            }
            else if (IsLatinLetter(c))
            {
                hasLatin = true;
                hasLatinWithoutLookAlike |= FoldLookAlike(char.ToLowerInvariant(c)) == '\0';
            }
            else if (!IsCombiningMark(c) && !IsInvisible(c))
            {
                break;
            }
        }

        foldLookAlikes = hasCyrillic && hasLatin && !hasLatinWithoutLookAlike;
        return i;
    }

    /// <summary>Writes the normalized form of a word found by <see cref="ScanWord"/>; returns its length (at least 1).</summary>
    internal static int NormalizeWord(ReadOnlySpan<char> word, Span<char> destination, bool foldLookAlikes)
    {
        var written = 0;
        foreach (var c in word)
        {
            if (IsCombiningMark(c))
            {
                // и + combining breve is a decomposed й; every other mark (stress, the diaeresis of ё) is dropped.
                if (c == '\u0306' && written > 0 && destination[written - 1] == 'и')
                {
                    destination[written - 1] = 'й';
                }

                continue;
            }

            if (IsInvisible(c))
            {
                continue;
            }

            var lower = ToLower(c);
            if (foldLookAlikes)
            {
                var cyrillic = FoldLookAlike(lower);
                lower = cyrillic == '\0' ? lower : cyrillic;
            }

            destination[written++] = lower;
        }

        return written;
    }

    /// <summary>Lower-cases a character with the invariant culture and folds <c>ё</c> to <c>е</c>.</summary>
    internal static char ToLower(char c)
    {
        // Fast paths first: lower-case Cyrillic is by far the most common character in appeals.
        if ((uint)(c - 'а') <= 'я' - 'а')
        {
            return c;
        }

        if ((uint)(c - 'А') <= 'Я' - 'А')
        {
            return (char)(c + ('а' - 'А'));
        }

        if (c is 'ё' or 'Ё')
        {
            return 'е';
        }

        return c < 0x80 ? (char)(c is >= 'A' and <= 'Z' ? c | 0x20 : c) : char.ToLowerInvariant(c);
    }

    private static bool IsCyrillicLetter(char c) =>
        (uint)(c - 'А') <= 'я' - 'А' || c is 'ё' or 'Ё' || (c is >= '\u0400' and <= '\u052F' && char.IsLetter(c));

    private static bool IsLatinLetter(char c) =>
        (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (c is >= '\u00C0' and <= '\u024F' && char.IsLetter(c));

    private static bool IsCombiningMark(char c) => c is >= '\u0300' and <= '\u036F';

    private static bool IsInvisible(char c) => c is '\u00AD' or (>= '\u200B' and <= '\u200D') or '\u2060' or '\uFEFF';

    // The Cyrillic look-alike of a lower-case Latin letter, or '\0' when it has none.
    private static char FoldLookAlike(char lowerLatin) => lowerLatin switch
    {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'k' => 'к',
        'm' => 'м',
        'o' => 'о',
        'p' => 'р',
        't' => 'т',
        'x' => 'х',
        'y' => 'у',
        _ => '\0',
    };
}
