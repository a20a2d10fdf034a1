using System.Buffers;
using Mcu.Sdk.Classification.Text;

namespace Mcu.Sdk.Classification;

/// <summary>Receives the features of a text, one call per occurrence.</summary>
internal interface IFeatureVisitor
{
    /// <summary>Receives one feature: a stem, or two stems joined by a space.</summary>
    /// <param name="feature">The feature; valid only during the call.</param>
    void Visit(scoped ReadOnlySpan<char> feature);
}

/// <summary>
/// Turns a text into the features of <see cref="NaiveBayesModel"/>: the stem of every word and, when enabled, every pair of
/// adjacent stems within a clause.
/// </summary>
/// <remarks>
/// Words are normalized by <see cref="TextTokenizer"/> and stemmed by <see cref="RussianStemmer"/>. Numbers (house numbers,
/// dates, prices) are skipped: they name places and times, not topics. A bigram is the two stems joined by a single space,
/// so it can never collide with a stem. Bigrams do not cross a clause break (a sentence end, a dash, an emoji). Nothing is
/// allocated for texts up to <see cref="StackTextLength"/> characters; longer ones use pooled buffers.
/// </remarks>
internal static class FeatureExtractor
{
    /// <summary>Texts up to this many characters are tokenized on the stack.</summary>
    public const int StackTextLength = 512;

    /// <summary>The longest stem a bigram may have; longer words only give a unigram.</summary>
    private const int MaxBigramStem = 48;

    /// <summary>Calls <paramref name="visitor"/> for each feature of <paramref name="text"/>, in text order.</summary>
    /// <typeparam name="TVisitor">The visitor type.</typeparam>
    /// <param name="text">The text.</param>
    /// <param name="useBigrams">Whether to produce stem bigrams besides the stems.</param>
    /// <param name="visitor">The visitor.</param>
    public static void Extract<TVisitor>(ReadOnlySpan<char> text, bool useBigrams, ref TVisitor visitor)
        where TVisitor : IFeatureVisitor, allows ref struct
    {
        char[]? rented = null;
        var buffer = text.Length <= StackTextLength
            ? stackalloc char[StackTextLength]
            : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            Extract(text, buffer, useBigrams, ref visitor);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns the features of a text as strings, in text order, with repetitions.</summary>
    /// <param name="text">The text.</param>
    /// <param name="useBigrams">Whether to produce stem bigrams besides the stems.</param>
    /// <returns>The features.</returns>
    public static List<string> ToList(string text, bool useBigrams)
    {
        var collector = new ListCollector(new List<string>());
        Extract(text.AsSpan(), useBigrams, ref collector);
        return collector.Features;
    }

    private static void Extract<TVisitor>(ReadOnlySpan<char> text, scoped Span<char> buffer, bool useBigrams, ref TVisitor visitor)
        where TVisitor : IFeatureVisitor, allows ref struct
    {
        Span<char> pair = stackalloc char[(2 * MaxBigramStem) + 1];
        var tokenizer = new TextTokenizer(text, buffer);
        var previousLength = 0;
        while (tokenizer.MoveNext())
        {
            if (tokenizer.CurrentKind != TokenKind.Word)
            {
                continue;
            }

            // The tokenizer writes each normalized token at its own offset and never reads the buffer back, so the token
            // is stemmed in place.
            var token = buffer.Slice(tokenizer.CurrentStart, tokenizer.Current.Length);
            var stem = token[..RussianStemmer.Stem(token, token)];
            if (stem.IsEmpty)
            {
                continue;
            }

            visitor.Visit(stem);

            if (!useBigrams)
            {
                continue;
            }

            if (tokenizer.CurrentStartsClause)
            {
                previousLength = 0;
            }

            if (previousLength > 0 && stem.Length <= MaxBigramStem)
            {
                pair[previousLength] = ' ';
                stem.CopyTo(pair[(previousLength + 1)..]);
                visitor.Visit(pair[..(previousLength + 1 + stem.Length)]);
            }

            if (stem.Length <= MaxBigramStem)
            {
                stem.CopyTo(pair);
                previousLength = stem.Length;
            }
            else
            {
                previousLength = 0;
            }
        }
    }

    private readonly struct ListCollector(List<string> features) : IFeatureVisitor
    {
        public List<string> Features { get; } = features;

        public void Visit(scoped ReadOnlySpan<char> feature) => Features.Add(feature.ToString());
    }
}
