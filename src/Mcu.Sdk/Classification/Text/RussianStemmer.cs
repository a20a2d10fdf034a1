using System.Buffers;

namespace Mcu.Sdk.Classification.Text;

/// <summary>
/// The Snowball stemmer for Russian: reduces a word form to its stem by removing inflectional and a few
/// derivational endings (<c>подъездах</c> → <c>подъезд</c>, <c>протекает</c> → <c>протека</c>).
/// </summary>
/// <remarks>
/// <para>
/// This is an implementation of the algorithm published at <see href="https://snowballstem.org/algorithms/russian/stemmer.html"/>,
/// in its current form where <c>ё</c> is treated as <c>е</c>. It reproduces the official test vocabulary of the Snowball
/// project word for word.
/// </para>
/// <para>
/// The algorithm works on lower-case Russian words. A word that contains anything other than the letters
/// <c>а</c>–<c>я</c> and <c>ё</c> (Latin letters, digits, hyphens, upper-case letters in the span overload) is not a
/// Russian word form for the algorithm and comes back unchanged.
/// </para>
/// <para>All members are thread-safe. The span overload does not allocate.</para>
/// </remarks>
public static class RussianStemmer
{
    // Words up to this length are lower-cased on the stack by the string overload.
    private const int StackBufferLength = 128;

    // Bit i is set when the letter ('а' + i) is a vowel: а е и о у ы э ю я.
    private const uint VowelMask =
        (1u << ('а' - 'а')) | (1u << ('е' - 'а')) | (1u << ('и' - 'а')) | (1u << ('о' - 'а')) | (1u << ('у' - 'а')) |
        (1u << ('ы' - 'а')) | (1u << ('э' - 'а')) | (1u << ('ю' - 'а')) | (1u << ('я' - 'а'));

    // Endings of the first group may only be removed after "а" or "я" (which stays); the second group unconditionally.
    private static readonly EndingSet PerfectiveGerund = new(
        afterAOrYa: ["в", "вши", "вшись"],
        unconditional: ["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"]);

    private static readonly EndingSet Adjective = new(
        afterAOrYa: [],
        unconditional:
        [
            "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом",
            "его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею",
        ]);

    private static readonly EndingSet Participle = new(
        afterAOrYa: ["ем", "нн", "вш", "ющ", "щ"],
        unconditional: ["ивш", "ывш", "ующ"]);

    private static readonly EndingSet Reflexive = new(
        afterAOrYa: [],
        unconditional: ["ся", "сь"]);

    private static readonly EndingSet Verb = new(
        afterAOrYa: ["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"],
        unconditional:
        [
            "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен",
            "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю",
        ]);

    private static readonly EndingSet Noun = new(
        afterAOrYa: [],
        unconditional:
        [
            "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й",
            "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я",
        ]);

    private static readonly EndingSet Derivational = new(
        afterAOrYa: [],
        unconditional: ["ост", "ость"]);

    /// <summary>Stems a lower-case word into a caller-supplied buffer without allocating.</summary>
    /// <param name="word">
    /// The word in lower case, such as <c>трубы</c>; <c>ё</c> in it is treated as <c>е</c>. A word with any character other
    /// than <c>а</c>–<c>я</c> and <c>ё</c> is copied to <paramref name="destination"/> unchanged.
    /// </param>
    /// <param name="destination">
    /// The buffer that receives the stem; at least as long as <paramref name="word"/>. It may be the very memory of
    /// <paramref name="word"/> (stemming in place).
    /// </param>
    /// <returns>The length of the stem written to the start of <paramref name="destination"/>; never more than the word's length.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="word"/>.</exception>
    public static int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            throw new ArgumentException(
                $"The destination buffer ({destination.Length} characters) is shorter than the word ({word.Length} characters).",
                nameof(destination));
        }

        var hasYo = false;
        foreach (var c in word)
        {
            if ((uint)(c - 'а') > 'я' - 'а')
            {
                if (c != 'ё')
                {
                    word.CopyTo(destination);
                    return word.Length;
                }

                hasYo = true;
            }
        }

        // CopyTo copes with overlapping memory, so the word may be stemmed in place.
        word.CopyTo(destination);
        var stem = destination[..word.Length];
        if (hasYo)
        {
            stem.Replace('ё', 'е');
        }

        return StemLowerCase(stem);
    }

    /// <summary>Stems a word of any case.</summary>
    /// <param name="word">The word, such as <c>Подъездах</c>; it is lower-cased with the invariant culture first.</param>
    /// <returns>
    /// The stem in lower case, with <c>ё</c> folded to <c>е</c>, such as <c>подъезд</c>. A word with characters other than
    /// Russian letters is returned lower-cased but otherwise unchanged; an empty word is returned as is.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0)
        {
            return word;
        }

        char[]? rented = null;
        var buffer = word.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            var lower = buffer[..word.Length];
            word.AsSpan().ToLowerInvariant(lower);
            var length = Stem(lower, lower);
            var stem = lower[..length];
            return stem.SequenceEqual(word) ? word : new string(stem);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // The word holds only the letters а..я (ё already folded). Returns the length of the stem.
    private static int StemLowerCase(ReadOnlySpan<char> word)
    {
        var (rv, r2) = FindRegions(word);
        var end = word.Length;
        if (rv >= end)
        {
            // Every ending must lie in RV; a word without a vowel, or ending with its first vowel, keeps its form.
            return end;
        }

        // Step 1: a perfective gerund; otherwise a reflexive ending and then an adjectival, verb or noun ending.
        if (!TryRemove(PerfectiveGerund, word, rv, ref end))
        {
            TryRemove(Reflexive, word, rv, ref end);
            if (TryRemove(Adjective, word, rv, ref end))
            {
                // An adjectival ending is an adjective ending optionally preceded by a participle ending.
                TryRemove(Participle, word, rv, ref end);
            }
            else if (!TryRemove(Verb, word, rv, ref end))
            {
                TryRemove(Noun, word, rv, ref end);
            }
        }

        // Step 2: a final "и".
        if (end > rv && word[end - 1] == 'и')
        {
            end--;
        }

        // Step 3: a derivational ending lying entirely in R2 (which is always inside RV).
        TryRemove(Derivational, word, r2, ref end);

        // Step 4: a superlative ending and then "нн" → "н"; or "нн" → "н"; or a final "ь".
        if (EndsWith(word, end, rv, "ейше"))
        {
            end -= 4;
            UndoubleN(word, rv, ref end);
        }
        else if (EndsWith(word, end, rv, "ейш"))
        {
            end -= 3;
            UndoubleN(word, rv, ref end);
        }
        else if (!UndoubleN(word, rv, ref end) && end > rv && word[end - 1] == 'ь')
        {
            end--;
        }

        return end;
    }

    // RV starts after the first vowel. R1 starts after the first non-vowel that follows a vowel; R2 is the same
    // region computed again inside R1. A missing region starts at the end of the word.
    private static (int Rv, int R2) FindRegions(ReadOnlySpan<char> word)
    {
        var length = word.Length;
        var i = 0;
        while (i < length && !IsVowel(word[i]))
        {
            i++;
        }

        if (i == length)
        {
            return (length, length);
        }

        var rv = i + 1;
        i = rv;
        for (var region = 0; region < 2; region++)
        {
            while (i < length && IsVowel(word[i]))
            {
                i++;
            }

            if (i == length)
            {
                return (rv, length);
            }

            // i is at a non-vowel following a vowel: the region starts after it.
            i++;
            if (region == 0)
            {
                while (i < length && !IsVowel(word[i]))
                {
                    i++;
                }

                if (i == length)
                {
                    return (rv, length);
                }
            }
        }

        return (rv, i);
    }

    private static bool IsVowel(char letter) => ((VowelMask >> (letter - 'а')) & 1) != 0;

    private static bool TryRemove(EndingSet endings, ReadOnlySpan<char> word, int limit, ref int end)
    {
        var length = endings.MatchLongest(word[..end], limit, out var afterAOrYa);
        if (length == 0)
        {
            return false;
        }

        var start = end - length;
        if (afterAOrYa && (start <= limit || (word[start - 1] != 'а' && word[start - 1] != 'я')))
        {
            // Snowball picks the longest ending first; when its condition fails the whole class fails.
            return false;
        }

        end = start;
        return true;
    }

    private static bool UndoubleN(ReadOnlySpan<char> word, int limit, ref int end)
    {
        if (end - 2 >= limit && word[end - 1] == 'н' && word[end - 2] == 'н')
        {
            end--;
            return true;
        }

        return false;
    }

    private static bool EndsWith(ReadOnlySpan<char> word, int end, int limit, string ending) =>
        end - ending.Length >= limit && word[(end - ending.Length)..end].SequenceEqual(ending);

    /// <summary>A class of endings indexed by their last letter, each bucket ordered from the longest ending.</summary>
    private sealed class EndingSet
    {
        private readonly Ending[]?[] _byLastLetter = new Ending['я' - 'а' + 1][];

        public EndingSet(string[] afterAOrYa, string[] unconditional)
        {
            var all = afterAOrYa.Select(text => new Ending(text, true))
                .Concat(unconditional.Select(text => new Ending(text, false)));
            foreach (var group in all.GroupBy(ending => ending.Text[^1]))
            {
                _byLastLetter[group.Key - 'а'] = [.. group.OrderByDescending(ending => ending.Text.Length)];
            }
        }

        // Returns the length of the longest ending of the word that starts at or after limit, or 0.
        public int MatchLongest(ReadOnlySpan<char> word, int limit, out bool afterAOrYa)
        {
            afterAOrYa = false;
            var available = word.Length - limit;
            if (available <= 0)
            {
                return 0;
            }

            var bucket = _byLastLetter[word[^1] - 'а'];
            if (bucket is null)
            {
                return 0;
            }

            foreach (var ending in bucket)
            {
                var text = ending.Text;
                if (text.Length > available)
                {
                    continue;
                }

                // The last letter is known to match; compare the rest from the end.
                var offset = word.Length - text.Length;
                var i = text.Length - 2;
                while (i >= 0 && word[offset + i] == text[i])
                {
                    i--;
                }

                if (i < 0)
                {
                    afterAOrYa = ending.AfterAOrYa;
                    return text.Length;
                }
            }

            return 0;
        }
    }

    private readonly record struct Ending(string Text, bool AfterAOrYa);
}
