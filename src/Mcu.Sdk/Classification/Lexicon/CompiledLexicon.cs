using System.Collections.Frozen;

namespace Mcu.Sdk.Classification;

/// <summary>
/// A <see cref="Lexicon"/> turned into the tables the matcher reads: interned symbols for stems and exact word forms, terms
/// as symbol sequences, and an index from a term's anchor symbol to the terms. Immutable and thread-safe.
/// </summary>
internal sealed class CompiledLexicon
{
    public const byte LayerTopic = 0;
    public const byte LayerUrgent = 1;
    public const byte LayerOutOfScope = 2;
    public const byte LayerNegation = 3;
    public const byte LayerGratitude = 4;
    public const byte LayerComplaint = 5;
    public const byte LayerLocation = 6;
    public const byte LayerFocus = 7;

    /// <summary>The number of layers whose terms consume tokens (topic, urgent, out-of-scope).</summary>
    public const int ConsumingLayers = 3;

    /// <summary>Marks a word form whose override maps it to a stem no term uses.</summary>
    public const int OverrideToUnknownStem = -1;

    /// <summary>Marks a word form without an override.</summary>
    public const int NoOverride = -2;

    // Words the matcher itself needs: negators that cancel a following negation cue, and contrastive conjunctions that
    // start a new clause ("спасибо за ремонт, но ямы остались").
    private static readonly string[] Negators = ["не", "ни"];
    private static readonly string[] Contrastive = ["но", "однако", "зато", "а"];

    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _stems;
    private readonly SymbolTrie _trie;
    private readonly WordInfo[] _wordInfos;

    public CompiledLexicon(Lexicon lexicon)
    {
        var stems = new Dictionary<string, int>(StringComparer.Ordinal);
        var exactWords = new Dictionary<string, int>(StringComparer.Ordinal);
        var symbolCount = 0;
        var topics = new List<string>();
        var subtopics = new List<string>();
        var subtopicTopics = new List<int>();
        var entries = new List<Entry>();
        var tokens = new List<TermToken>();
        var shortWords = new List<int>();

        foreach (var term in lexicon.Terms)
        {
            if (term.IsRemoval || !LexiconTermParser.TryParse(term.Text, lexicon.StemOverrides, tokens, out _))
            {
                continue;
            }

            var symbols = new int[tokens.Count];
            for (var i = 0; i < tokens.Count; i++)
            {
                var table = tokens[i].IsExactWord ? exactWords : stems;
                if (!table.TryGetValue(tokens[i].Value, out var symbol))
                {
                    symbol = symbolCount++;
                    table.Add(tokens[i].Value, symbol);
                }

                symbols[i] = symbol;
            }

            var (layer, topic, subtopic) = Classify(term.Target, topics, subtopics, subtopicTopics);
            var shortMask = ShortWordMask(tokens);
            entries.Add(new Entry(symbols, 0, layer, topic, subtopic, term.Weight, term.Text, term.Target) { ShortWords = shortMask });
            shortWords.Add(shortMask);
        }

        // Every word form the matcher must recognise by itself: exact-word symbols, overrides and the special words.
        var words = new Dictionary<string, WordInfo>(StringComparer.Ordinal);
        foreach (var (word, symbol) in exactWords)
        {
            words[word] = new WordInfo(symbol, NoOverride, WordFlags.None);
        }

        foreach (var (word, stem) in lexicon.StemOverrides)
        {
            if (stem.Length == 0)
            {
                continue;
            }

            var overrideSymbol = stems.TryGetValue(stem, out var symbol) ? symbol : OverrideToUnknownStem;
            words[word] = words.TryGetValue(word, out var info)
                ? info with { OverrideStem = overrideSymbol }
                : new WordInfo(-1, overrideSymbol, WordFlags.None);
        }

        AddFlag(words, Negators, WordFlags.Negator);
        AddFlag(words, Contrastive, WordFlags.Contrastive);

        _stems = stems.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var wordForms = words.Keys.ToArray();
        _wordInfos = [.. wordForms.Select(w => words[w])];
        _trie = new SymbolTrie(stems, wordForms);

        // A phrase is found by its rarest word in the lexicon, never by a short function word such as "в" or "на" when it
        // has another, so that frequent words do not bring up every phrase they occur in.
        var symbolUse = new int[symbolCount];
        foreach (var entry in entries)
        {
            foreach (var symbol in entry.Symbols)
            {
                symbolUse[symbol]++;
            }
        }

        for (var e = 0; e < entries.Count; e++)
        {
            entries[e] = entries[e] with { Anchor = ChooseAnchor(entries[e].Symbols, shortWords[e], symbolUse) };
        }

        Entries = [.. entries];
        EntryLengths = [.. entries.Select(static e => (byte)e.Symbols.Length)];
        EntryLayers = [.. entries.Select(static e => e.Layer)];
        EntryMasks = new ulong[Entries.Length * MaskWords];
        for (var e = 0; e < Entries.Length; e++)
        {
            foreach (var symbol in Entries[e].Symbols)
            {
                SetMaskBit(EntryMasks.AsSpan(e * MaskWords, MaskWords), symbol);
            }
        }

        TopicCodes = [.. topics.Select(static code => new TopicCode(code))];
        SubtopicCodes = [.. subtopics];
        SubtopicTopics = [.. subtopicTopics];
        OtherTopic = topics.IndexOf(TopicCode.Other.Value);
        SymbolCount = symbolCount;

        // Index: a term's anchor symbol → the terms, longest first.
        var index = new List<int>[symbolCount];
        for (var e = 0; e < Entries.Length; e++)
        {
            var anchor = Entries[e].Symbols[Entries[e].Anchor];
            (index[anchor] ??= []).Add(e);
            MaxTermLength = Math.Max(MaxTermLength, Entries[e].Symbols.Length);
        }

        Index = new int[symbolCount][];
        for (var s = 0; s < symbolCount; s++)
        {
            var list = index[s];
            if (list is null)
            {
                Index[s] = [];
                continue;
            }

            var entriesCopy = Entries;
            list.Sort((a, b) =>
            {
                var byLength = entriesCopy[b].Symbols.Length.CompareTo(entriesCopy[a].Symbols.Length);
                return byLength != 0 ? byLength : a.CompareTo(b);
            });
            Index[s] = [.. list];
        }
    }

    [Flags]
    public enum WordFlags : byte
    {
        None = 0,
        Negator = 1,
        Contrastive = 2,

        /// <summary>The word ends like an adjective or possessive in an oblique case (<c>нашей</c>, <c>детского</c>).</summary>
        AdjectiveLike = 4,
    }

    /// <summary>The number of 64-bit words of a symbol mask (<see cref="EntryMasks"/>).</summary>
    public const int MaskWords = 4;

    public Entry[] Entries { get; }

    /// <summary>
    /// Gets, for each entry, <see cref="MaskWords"/> words with one bit set per symbol of the entry (symbol modulo 256): a
    /// text whose own mask lacks one of them cannot contain the entry, which is checked before looking for its words.
    /// </summary>
    public ulong[] EntryMasks { get; }

    /// <summary>Gets the number of words of each entry (kept apart from the entries for a cache-friendly scan).</summary>
    public byte[] EntryLengths { get; }

    /// <summary>Gets the layer of each entry.</summary>
    public byte[] EntryLayers { get; }

    public int[][] Index { get; }

    public TopicCode[] TopicCodes { get; }

    public string[] SubtopicCodes { get; }

    public int[] SubtopicTopics { get; }

    /// <summary>Gets the index of the <c>other</c> topic, or -1 when no term votes for it.</summary>
    public int OtherTopic { get; }

    public int SymbolCount { get; }

    public int MaxTermLength { get; private set; } = 1;

    /// <summary>
    /// Looks a normalized word up: whether it is one of the exact words, overrides and special words, and which lexicon
    /// stems are prefixes of it (see <see cref="SymbolTrie.Walk"/>).
    /// </summary>
    /// <returns>The length of the longest prefix of the word that is a lexicon stem, or 0.</returns>
    public int Walk(ReadOnlySpan<char> word, Span<int> stemAtLength, out WordInfo info, out bool isKnownWord)
    {
        var deepest = _trie.Walk(word, stemAtLength, out var wordIndex);
        isKnownWord = wordIndex >= 0;
        info = isKnownWord ? _wordInfos[wordIndex] : default;
        return deepest;
    }

    /// <summary>Sets the bit of a symbol in a mask of <see cref="MaskWords"/> words.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="symbol">The symbol, not negative.</param>
    public static void SetMaskBit(Span<ulong> mask, int symbol) => mask[(symbol >> 6) & (MaskWords - 1)] |= 1UL << (symbol & 63);

    /// <summary>Looks a stem up; returns its symbol or -1.</summary>
    public int GetStemSymbol(ReadOnlySpan<char> stem) => _stems.TryGetValue(stem, out var symbol) ? symbol : -1;

    private static (byte Layer, int Topic, int Subtopic) Classify(string target, List<string> topics, List<string> subtopics, List<int> subtopicTopics)
    {
        switch (target)
        {
            case LexiconTargets.Urgent:
                return (LayerUrgent, -1, -1);
            case LexiconTargets.OutOfScope:
                return (LayerOutOfScope, -1, -1);
            case LexiconTargets.Negation:
                return (LayerNegation, -1, -1);
            case LexiconTargets.Gratitude:
                return (LayerGratitude, -1, -1);
            case LexiconTargets.Complaint:
                return (LayerComplaint, -1, -1);
            case LexiconTargets.Location:
                return (LayerLocation, -1, -1);
            case LexiconTargets.Focus:
                return (LayerFocus, -1, -1);
        }

        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var topicCode = slash < 0 ? target : target[..slash];
        var topic = topics.IndexOf(topicCode);
        if (topic < 0)
        {
            topic = topics.Count;
            topics.Add(topicCode);
        }

        if (slash < 0)
        {
            return (LayerTopic, topic, -1);
        }

        var subtopicCode = target[(slash + 1)..];
        for (var s = 0; s < subtopics.Count; s++)
        {
            if (subtopicTopics[s] == topic && string.Equals(subtopics[s], subtopicCode, StringComparison.Ordinal))
            {
                return (LayerTopic, topic, s);
            }
        }

        subtopics.Add(subtopicCode);
        subtopicTopics.Add(topic);
        return (LayerTopic, topic, subtopics.Count - 1);
    }

    private static int ChooseAnchor(int[] symbols, int shortWordMask, int[] symbolUse)
    {
        var anchor = 0;
        var best = long.MaxValue;
        for (var i = 0; i < symbols.Length; i++)
        {
            var cost = symbolUse[symbols[i]] + ((shortWordMask >> i) & 1) * 1_000_000L;
            if (cost < best)
            {
                best = cost;
                anchor = i;
            }
        }

        return anchor;
    }

    // Bit i is set when word i of the term is a short exact word (one or two letters).
    private static int ShortWordMask(List<TermToken> tokens)
    {
        var mask = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsExactWord && tokens[i].Value.Length <= LexiconTermParser.MaxExactLength)
            {
                mask |= 1 << i;
            }
        }

        return mask;
    }

    private static void AddFlag(Dictionary<string, WordInfo> words, string[] list, WordFlags flag)
    {
        foreach (var word in list)
        {
            words[word] = words.TryGetValue(word, out var info)
                ? info with { Flags = info.Flags | flag }
                : new WordInfo(-1, NoOverride, flag);
        }
    }

    /// <summary>What the lexicon knows about one word form.</summary>
    /// <param name="Symbol">The exact-word symbol, or -1.</param>
    /// <param name="OverrideStem">The stem symbol of an override, <see cref="OverrideToUnknownStem"/>, or <see cref="NoOverride"/>.</param>
    /// <param name="Flags">Special roles of the word.</param>
    public readonly record struct WordInfo(int Symbol, int OverrideStem, WordFlags Flags);

    /// <summary>One compiled term; <paramref name="Anchor"/> is the index of the word it is found by.</summary>
    public sealed record Entry(int[] Symbols, int Anchor, byte Layer, int Topic, int Subtopic, double Weight, string Text, string Target)
    {
        /// <summary>Bit i is set when word i of the term is a short exact word (a preposition or particle such as в, на, не).</summary>
        public int ShortWords { get; init; }
    }
}
