using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Mcu.Sdk.Classification.Text;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// An explainable rule-based classifier for Russian appeals: it matches the stems and phrases of a <see cref="Lexicon"/>
/// against the text and adds up their weights per topic and subtopic, urgency and scope.
/// </summary>
/// <remarks>
/// <para>
/// Every word of the text is normalized (<see cref="TextTokenizer"/>) and stemmed (<see cref="RussianStemmer"/>, after the
/// lexicon's stem overrides); terms match by exact stem equality, so <c>вод</c> never matches <c>водитель</c>. A phrase
/// matches when all its words stand in one part of a sentence (between commas) in any order with at most two other words
/// between them (a preposition of the phrase before its word: <c>в долг</c> is not <c>долга в</c>), and it consumes its
/// words: a shorter term of the same kind (topic, urgency, scope) cannot use them again.
/// Each term counts once per text. Negation cues (<c>уже убрали</c>) damp the topic terms of their sentence and cancel its
/// urgency cues; gratitude cues (<c>спасибо за</c>) do the same for their part of the sentence, and a text that thanks
/// without any complaint cue is neither routed nor urgent, while a sarcastic thank-you followed by a complaint still is.
/// Location cues (<c>возле</c>) halve the weight of the place named after them, focus cues (<c>почините</c>,
/// <c>не работает</c>) raise the weight of what the citizen asks to fix next to them, and terms named early in the text weigh
/// more (out-of-scope cues too: an advertisement says what it is first). Street and place names (a capitalised word after
/// <c>ул.</c>, or a capitalised adjective in the middle of a sentence: <c>на Школьной</c>) match no term, and Russian typed
/// in Latin letters (<c>musor ne vyvozjat</c>) is read as Cyrillic. The format of the lexicon and the meaning of each
/// option are described in <c>docs/classifier.md</c>.
/// </para>
/// <para>
/// Every result lists the matched terms with the weights they contributed, and explains an abstention in
/// <see cref="AppealClassification.Reason"/>. The classifier is immutable and safe for concurrent use, never throws for any
/// text, and allocates only the result: the words are matched in stack or pooled buffers. The word forms it has read are
/// kept, with what the lexicon knows of each, in a table that a repeated word is found in without the lexicon's trie or the
/// stemmer (at most 200,000 forms of up to 64 letters, about 100 bytes each; later new forms are looked up each time).
/// </para>
/// </remarks>
public sealed class LexiconClassifier : IAppealClassifier
{
    // A phrase's words may have this many other words between them.
    private const int MaxGap = 2;

    // The score at which a topic without rivals reaches a confidence of 1 - 1/e (0.63).
    private const double ConfidenceScale = 3;

    // The early-mention boost fades out over this many words.
    private const int EarlyMentionHorizon = 12;

    // Out-of-scope cues win only when they weigh at least this share of the best topic's score: "посоветуйте сантехника,
    // течёт смеситель" is an ad request, a long complaint that mentions a price is not.
    private const double OutOfScopeDominance = 0.5;

    // Texts up to this many characters are tokenized on the stack.
    private const int StackTextLength = 512;

    // Clause flags: bit 0 = a negation cue stands in the clause (by clause index); bit 1 = a gratitude cue stands in the
    // segment (by segment index).
    private const byte ClauseNegated = 1;
    private const byte SegmentGrateful = 2;

    // Token flag (beside the word flags): the token follows a location cue.
    private const byte AfterLocation = 0x80;

    // Token flag (beside the word flags): the token stands next to a focus cue, in what the citizen asks to fix.
    private const byte InFocus = 0x40;

    // A focus cue marks this many words on each side of it, within its part of the sentence.
    private const int FocusWindow = 2;

    // A topic term in focus weighs this many times its weight.
    private const double FocusFactor = 1.3;

    private readonly CompiledLexicon _compiled;
    private readonly LexiconWordTable _words = new();
    private readonly double _abstainThreshold;
    private readonly double _minConfidence;
    private readonly double _urgentThreshold;
    private readonly double _outOfScopeThreshold;
    private readonly double _negationFactor;
    private readonly double _gratitudeFactor;
    private readonly double _locationFactor;
    private readonly double _earlyMentionBoost;
    private readonly int _maxTextLength;

    /// <summary>Initializes a new instance of the <see cref="LexiconClassifier"/> class with the default lexicon and options.</summary>
    public LexiconClassifier()
        : this(new LexiconClassifierOptions())
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="LexiconClassifier"/> class with the default lexicon (unless switched off)
    /// merged with the files of <see cref="LexiconClassifierOptions.LexiconPaths"/>.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of its range, or no lexicon is configured.</exception>
    /// <exception cref="FileNotFoundException">A lexicon file does not exist.</exception>
    /// <exception cref="System.Text.Json.JsonException">A lexicon file is malformed; the message names the file, line and position.</exception>
    public LexiconClassifier(LexiconClassifierOptions options)
        : this(BuildLexicon(options), options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LexiconClassifier"/> class with a given lexicon.</summary>
    /// <param name="lexicon">The lexicon, used as it is, such as <c>Lexicon.Default.Merge(Lexicon.LoadFile("city.json"))</c>.</param>
    /// <param name="options">
    /// The thresholds; or <see langword="null"/> for the defaults. <see cref="LexiconClassifierOptions.UseDefaultLexicon"/> and
    /// <see cref="LexiconClassifierOptions.LexiconPaths"/> are ignored here.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="lexicon"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of its range.</exception>
    public LexiconClassifier(Lexicon lexicon, LexiconClassifierOptions? options = null)
    {
        Throw.IfNull(lexicon);
        options ??= new LexiconClassifierOptions();
        Validate(options);
        Lexicon = lexicon;
        _compiled = new CompiledLexicon(lexicon);
        _abstainThreshold = options.AbstainThreshold;
        _minConfidence = options.MinConfidence;
        _urgentThreshold = options.UrgentThreshold;
        _outOfScopeThreshold = options.OutOfScopeThreshold;
        _negationFactor = options.NegationFactor;
        _gratitudeFactor = options.GratitudeFactor;
        _locationFactor = options.LocationFactor;
        _earlyMentionBoost = options.EarlyMentionBoost;
        _maxTextLength = options.MaxTextLength;
    }

    /// <summary>Gets the lexicon the classifier matches.</summary>
    public Lexicon Lexicon { get; }

    /// <summary>Gets the compiled lexicon (the entries an observer's term indices refer to).</summary>
    internal CompiledLexicon Compiled => _compiled;

    /// <summary>Gets the longest text the classifier reads.</summary>
    internal int MaxTextLength => _maxTextLength;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the call.</exception>
    public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Classify(text.AsSpan()));
    }

    /// <summary>Classifies a text synchronously.</summary>
    /// <param name="text">The appeal's text, any length.</param>
    /// <returns>The classification with the matched terms that explain it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public AppealClassification Classify(string text)
    {
        Throw.IfNull(text);
        return Classify(text.AsSpan());
    }

    /// <summary>Classifies a text synchronously.</summary>
    /// <param name="text">The appeal's text, any length; only the first <see cref="LexiconClassifierOptions.MaxTextLength"/> characters are read.</param>
    /// <returns>The classification with the matched terms that explain it.</returns>
    public AppealClassification Classify(ReadOnlySpan<char> text)
    {
        var none = default(NoObserver);
        return Classify(text, ref none);
    }

    /// <summary>Classifies a text and shows an observer the words' stems and the result's terms.</summary>
    /// <typeparam name="TObserver">The observer type.</typeparam>
    /// <param name="text">The appeal's text, any length; only the first <see cref="LexiconClassifierOptions.MaxTextLength"/> characters are read.</param>
    /// <param name="observer">The observer.</param>
    /// <returns>The classification, the same as <see cref="Classify(ReadOnlySpan{char})"/> returns.</returns>
    [SkipLocalsInit] // Every stack buffer is written before it is read.
    internal AppealClassification Classify<TObserver>(ReadOnlySpan<char> text, ref TObserver observer)
        where TObserver : struct, ILexiconObserver
    {
        if (text.Length > _maxTextLength)
        {
            text = text[.._maxTextLength];
        }

        char[]? rentedChars = null;
        var buffer = text.Length <= StackTextLength
            ? stackalloc char[text.Length]
            : (rentedChars = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            return Classify(text, buffer, ref observer);
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }

    private static Lexicon BuildLexicon(LexiconClassifierOptions options)
    {
        Throw.IfNull(options);
        Validate(options);
        var lexicon = options.UseDefaultLexicon ? Lexicon.Default : Lexicon.Empty;
        foreach (var path in options.LexiconPaths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("LexiconPaths contains an empty path.", nameof(options));
            }

            lexicon = lexicon.Merge(Lexicon.LoadFile(path));
        }

        if (!options.UseDefaultLexicon && options.LexiconPaths.Count == 0)
        {
            throw new ArgumentException("No lexicon is configured: UseDefaultLexicon is false and LexiconPaths is empty.", nameof(options));
        }

        return lexicon;
    }

    private static void Validate(LexiconClassifierOptions options)
    {
        static void Check(bool valid, string name, object value, string range)
        {
            if (!valid)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"LexiconClassifierOptions.{name} is {value}; it must be {range}."), nameof(options));
            }
        }

        Check(InRange(options.AbstainThreshold, 0, 100), nameof(options.AbstainThreshold), options.AbstainThreshold, "from 0 to 100");
        Check(InRange(options.MinConfidence, 0, 1), nameof(options.MinConfidence), options.MinConfidence, "from 0 to 1");
        Check(InRange(options.UrgentThreshold, 0.01, 100), nameof(options.UrgentThreshold), options.UrgentThreshold, "from 0.01 to 100");
        Check(InRange(options.OutOfScopeThreshold, 0.01, 100), nameof(options.OutOfScopeThreshold), options.OutOfScopeThreshold, "from 0.01 to 100");
        Check(InRange(options.NegationFactor, 0, 1), nameof(options.NegationFactor), options.NegationFactor, "from 0 to 1");
        Check(InRange(options.GratitudeFactor, 0, 1), nameof(options.GratitudeFactor), options.GratitudeFactor, "from 0 to 1");
        Check(InRange(options.LocationFactor, 0, 1), nameof(options.LocationFactor), options.LocationFactor, "from 0 to 1");
        Check(InRange(options.EarlyMentionBoost, 0, 2), nameof(options.EarlyMentionBoost), options.EarlyMentionBoost, "from 0 to 2");
        Check(options.MaxTextLength is >= 100 and <= 1_000_000, nameof(options.MaxTextLength), options.MaxTextLength, "from 100 to 1,000,000");
    }

    private static bool InRange(double value, double min, double max) => double.IsFinite(value) && value >= min && value <= max;

    private static bool Matches(ReadOnlySpan<int> wordSymbols, ReadOnlySpan<int> stemSymbols, int position, int symbol) =>
        wordSymbols[position] == symbol || stemSymbols[position] == symbol;

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    [SkipLocalsInit] // Every stack buffer is written before it is read.
    private AppealClassification Classify<TObserver>(ReadOnlySpan<char> text, Span<char> buffer, ref TObserver observer)
        where TObserver : struct, ILexiconObserver
    {
        var maxTokens = Math.Max(text.Length, 1);
        int[]? rentedInts = null;
        var ints = maxTokens <= StackTextLength / 2
            ? stackalloc int[4 * maxTokens]
            : (rentedInts = ArrayPool<int>.Shared.Rent(4 * maxTokens));
        byte[]? rentedBytes = null;
        var byteCount = (CompiledLexicon.ConsumingLayers * maxTokens) + (2 * maxTokens);
        var bytes = byteCount <= 4 * StackTextLength
            ? stackalloc byte[byteCount]
            : (rentedBytes = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var wordSymbols = ints[..maxTokens];
            var stemSymbols = ints.Slice(maxTokens, maxTokens);
            var clauses = ints.Slice(2 * maxTokens, maxTokens);
            var segments = ints.Slice(3 * maxTokens, maxTokens);
            var consumed = bytes[..(CompiledLexicon.ConsumingLayers * maxTokens)];
            var flags = bytes.Slice(CompiledLexicon.ConsumingLayers * maxTokens, maxTokens);
            var clauseFlags = bytes.Slice((CompiledLexicon.ConsumingLayers + 1) * maxTokens, maxTokens);
            var count = Tokenize(text, buffer, wordSymbols, stemSymbols, clauses, segments, flags, ref observer, out var candidates);
            if (count == 0)
            {
                return new AppealClassification(TopicCode.Other, null, false, false, 0, [], "abstained: the text has no words.");
            }

            consumed[..(CompiledLexicon.ConsumingLayers * count)].Clear();
            clauseFlags[..count].Clear();
            var context = new MatchContext(
                wordSymbols[..count], stemSymbols[..count], clauses[..count], segments[..count], flags[..count],
                consumed, clauseFlags[..count], count);
            return Match(ref context, candidates, ref observer);
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedInts is not null)
            {
                ArrayPool<int>.Shared.Return(rentedInts);
            }
        }
    }

    // Matches the cues and terms and decides. A term is accepted at most once and only where its first word stands, so
    // the index entries of the text's words bound the number of accepted terms.
    [SkipLocalsInit] // Every stack buffer is written before it is read.
    private AppealClassification Match<TObserver>(ref MatchContext context, int candidates, ref TObserver observer)
        where TObserver : struct, ILexiconObserver
    {
        const int StackAccepted = 128;
        const int StackBitWords = 256;
        var bitWords = (_compiled.Entries.Length + 63) / 64;
        Accepted[]? rentedAccepted = null;
        ulong[]? rentedBits = null;
        int[]? rentedCandidates = null;
        var accepted = candidates <= StackAccepted
            ? stackalloc Accepted[candidates]
            : (rentedAccepted = ArrayPool<Accepted>.Shared.Rent(candidates));
        var matched = bitWords <= StackBitWords
            ? stackalloc ulong[bitWords]
            : (rentedBits = ArrayPool<ulong>.Shared.Rent(bitWords));
        var candidateBuffer = candidates <= StackAccepted
            ? stackalloc int[2 * candidates]
            : (rentedCandidates = ArrayPool<int>.Shared.Rent(2 * candidates));
        try
        {
            matched = matched[..bitWords];
            matched.Clear();
            var candidateEntries = candidateBuffer[..candidates];
            var candidatePositions = candidateBuffer.Slice(candidates, candidates);
            var count = CollectCandidates(ref context, candidateEntries, candidatePositions);
            var acceptedCount = MatchCues(ref context, matched, accepted, candidateEntries[..count], candidatePositions[..count]);
            acceptedCount = MatchTerms(ref context, matched, accepted, acceptedCount, candidateEntries[..count], candidatePositions[..count]);
            return Decide(accepted[..acceptedCount], ref observer);
        }
        finally
        {
            if (rentedAccepted is not null)
            {
                ArrayPool<Accepted>.Shared.Return(rentedAccepted);
            }

            if (rentedCandidates is not null)
            {
                ArrayPool<int>.Shared.Return(rentedCandidates);
            }

            if (rentedBits is not null)
            {
                ArrayPool<ulong>.Shared.Return(rentedBits);
            }
        }
    }

    // Marks an entry as matched; returns false when it already was.
    private static bool TryMark(Span<ulong> matched, int entry)
    {
        ref var word = ref matched[entry >> 6];
        var bit = 1UL << (entry & 63);
        if ((word & bit) != 0)
        {
            return false;
        }

        word |= bit;
        return true;
    }

    private static bool IsMarked(Span<ulong> matched, int entry) => (matched[entry >> 6] & (1UL << (entry & 63))) != 0;

    // Splits the text into tokens and looks each up: its exact-word symbol, its stem symbol, its clause and its segment.
    [SkipLocalsInit] // Every stack buffer is written before it is read.
    private int Tokenize<TObserver>(
        ReadOnlySpan<char> text,
        Span<char> buffer,
        Span<int> wordSymbols,
        Span<int> stemSymbols,
        Span<int> clauses,
        Span<int> segments,
        Span<byte> flags,
        ref TObserver observer,
        out int candidates)
        where TObserver : struct, ILexiconObserver
    {
        candidates = 0;
        Span<char> rawStem = stackalloc char[LexiconWordTable.MaxFormLength];
        var tokenizer = new TextTokenizer(text, buffer);
        int count = 0, clause = -1, segment = -1, previousStart = 0;
        var afterAddress = false;
        while (tokenizer.MoveNext() && count < wordSymbols.Length)
        {
            var token = tokenizer.Current;
            var isWord = tokenizer.CurrentKind == TokenKind.Word;

            // A street or place name (ул. Школьная, на Садовой, в Горячем Ключе) names where, never what: it matches no term.
            var isPlaceName = isWord && count > 0 && IsPlaceName(text, tokenizer.CurrentStart, token, afterAddress);
            afterAddress = isWord && IsAddressWord(token);
            LexiconWord word;
            var stemLength = -1;
            if (!isWord)
            {
                word = LookUp(token, isWord: false);
            }
            else if (!_words.TryGet(token, out word))
            {
                word = LookUp(token, isWord: true);
                if (token.Length <= LexiconWordTable.MaxFormLength)
                {
                    // A new form: its Snowball stem (for observers) is kept with it.
                    stemLength = RussianStemmer.Stem(token, rawStem);
                    string? stemText = null;
                    var stemId = stemLength == 0 ? -1 : _words.GetOrAddStem(rawStem[..stemLength], out stemText);
                    word = word with { StemId = stemId, Stem = stemText };
                    _words.Add(token, word);
                }
            }

            if (isWord && observer.WantsStems)
            {
                if (word.StemId >= 0)
                {
                    observer.Stem(word.StemId, word.Stem);
                }
                else if (token.Length <= LexiconWordTable.MaxFormLength)
                {
                    stemLength = stemLength >= 0 ? stemLength : RussianStemmer.Stem(token, rawStem);
                    if (stemLength > 0)
                    {
                        observer.Stem(-1, rawStem[..stemLength]);
                    }
                }
                else
                {
                    // A very long word: stemmed in place, where the tokenizer wrote it (it never reads the buffer back).
                    var slot = buffer.Slice(tokenizer.CurrentStart, token.Length);
                    stemLength = RussianStemmer.Stem(slot, slot);
                    if (stemLength > 0)
                    {
                        observer.Stem(-1, slot[..stemLength]);
                    }
                }
            }

            var wordSymbol = isPlaceName ? -1 : word.WordSymbol;
            var stemSymbol = isPlaceName ? -1 : word.StemSymbol;
            var wordFlags = isPlaceName ? CompiledLexicon.WordFlags.None : word.Flags;
            var startsClause = tokenizer.CurrentStartsClause || (wordFlags & CompiledLexicon.WordFlags.Contrastive) != 0;
            if (startsClause || clause < 0)
            {
                clause++;
                segment++;
            }
            else if (text[previousStart..tokenizer.CurrentStart].Contains(','))
            {
                segment++;
            }

            previousStart = tokenizer.CurrentStart;
            candidates += (wordSymbol >= 0 ? _compiled.Index[wordSymbol].Length : 0) + (stemSymbol >= 0 ? _compiled.Index[stemSymbol].Length : 0);
            wordSymbols[count] = wordSymbol;
            stemSymbols[count] = stemSymbol;
            clauses[count] = clause;
            segments[count] = segment;
            flags[count] = (byte)wordFlags;
            count++;
        }

        return count;
    }

    // What the lexicon knows of one token: its exact-word symbol, its stem symbol and its flags (no Snowball stem yet).
    [SkipLocalsInit] // Every stack buffer is written before it is read.
    private LexiconWord LookUp(ReadOnlySpan<char> token, bool isWord)
    {
        Span<char> stem = stackalloc char[LexiconWordTable.MaxFormLength];
        Span<int> stemAtLength = stackalloc int[LexiconWordTable.MaxFormLength + 1];
        Span<char> transliterated = stackalloc char[2 * LexiconWordTable.MaxFormLength];
        scoped var word = token;
        var wordSymbol = -1;
        var stemSymbol = -1;
        var wordFlags = CompiledLexicon.WordFlags.None;
        var overrideStem = CompiledLexicon.NoOverride;
        var deepestStem = _compiled.Walk(word, stemAtLength, out var info, out var isKnownWord);
        if (isWord && !isKnownWord && deepestStem == 0 && Transliterate(word, transliterated) is > 0 and var translitLength)
        {
            // Russian typed in Latin letters (voda hleshet, svet morgaet): read as the Cyrillic it stands for, unless the
            // lexicon knows the Latin word itself (wifi, lte).
            word = transliterated[..translitLength];
            deepestStem = _compiled.Walk(word, stemAtLength, out info, out isKnownWord);
        }

        if (isKnownWord)
        {
            wordSymbol = info.Symbol;
            overrideStem = info.OverrideStem;
            wordFlags = info.Flags;
        }

        if (overrideStem != CompiledLexicon.NoOverride)
        {
            stemSymbol = overrideStem;
        }
        else if (deepestStem > 0 && isWord && word.Length > LexiconTermParser.MaxExactLength && word.Length <= stem.Length)
        {
            // Some lexicon stem is a prefix of the word, so the word's own stem may be one of them.
            var length = RussianStemmer.Stem(word, stem);
            stemSymbol = length <= deepestStem && word.StartsWith(stem[..length])
                ? (length == 0 ? -1 : stemAtLength[length])
                : _compiled.GetStemSymbol(stem[..length]);
        }

        if (isWord && IsAdjectiveLike(word))
        {
            wordFlags |= CompiledLexicon.WordFlags.AdjectiveLike;
        }

        return new LexiconWord(wordSymbol, stemSymbol, wordFlags, -1, null);
    }

    // Cues (negation, gratitude, complaint, location) match word for word, in order, within a sentence. A negation cue right
    // after "не"/"ни" is no negation ("так и не убрали").
    private int MatchCues(
        ref MatchContext context, scoped Span<ulong> matched, scoped Span<Accepted> accepted, scoped ReadOnlySpan<int> candidateEntries, scoped ReadOnlySpan<int> candidatePositions)
    {
        var entries = _compiled.Entries;
        var layers = _compiled.EntryLayers;
        var acceptedCount = 0;
        for (var c = 0; c < candidateEntries.Length; c++)
        {
            var e = candidateEntries[c];
            var i = candidatePositions[c];
            if (layers[e] < CompiledLexicon.LayerNegation)
            {
                continue;
            }

            var entry = entries[e];
            i -= entry.Anchor;
            if (i < 0 || !MatchesInOrder(ref context, entry.Symbols, i))
            {
                continue;
            }

            if (entry.Layer == CompiledLexicon.LayerNegation)
            {
                if (i > 0 && context.Clauses[i - 1] == context.Clauses[i]
                    && (context.Flags[i - 1] & (byte)CompiledLexicon.WordFlags.Negator) != 0)
                {
                    continue;
                }

                MarkClause(ref context, context.Clauses[i], ClauseNegated);
            }
            else if (entry.Layer == CompiledLexicon.LayerGratitude)
            {
                MarkSegment(ref context, context.Segments[i]);
            }
            else if (entry.Layer == CompiledLexicon.LayerFocus)
            {
                MarkFocus(ref context, i, entry.Symbols.Length);
            }
            else if (entry.Layer == CompiledLexicon.LayerLocation)
            {
                // The place's name starts right after the cue, or after one adjective: "у нашей школы".
                var end = i + entry.Symbols.Length;
                if (end < context.Count && context.Clauses[end] == context.Clauses[i])
                {
                    context.Flags[end] |= AfterLocation;
                    if ((context.Flags[end] & (byte)CompiledLexicon.WordFlags.AdjectiveLike) != 0 && end + 1 < context.Count
                        && context.Clauses[end + 1] == context.Clauses[i])
                    {
                        context.Flags[end + 1] |= AfterLocation;
                    }
                }
            }

            if (TryMark(matched, e))
            {
                accepted[acceptedCount++] = new Accepted(e, i, entry.Weight);
            }
        }

        return acceptedCount;
    }

    // Every (term, position) where a term's anchor word stands in the text and all of whose words may stand in it (by the
    // symbol masks), in the order of the text.
    private int CollectCandidates(ref MatchContext context, scoped Span<int> candidateEntries, scoped Span<int> candidatePositions)
    {
        Span<ulong> text = stackalloc ulong[CompiledLexicon.MaskWords];
        text.Clear();
        for (var i = 0; i < context.Count; i++)
        {
            if (context.WordSymbols[i] >= 0)
            {
                CompiledLexicon.SetMaskBit(text, context.WordSymbols[i]);
            }

            if (context.StemSymbols[i] >= 0)
            {
                CompiledLexicon.SetMaskBit(text, context.StemSymbols[i]);
            }
        }

        var masks = _compiled.EntryMasks;
        var lengths = _compiled.EntryLengths;
        var count = 0;
        for (var i = 0; i < context.Count; i++)
        {
            var word = context.WordSymbols[i];
            var stem = context.StemSymbols[i];
            for (var pass = 0; pass < 2; pass++)
            {
                var symbol = pass == 0 ? word : stem;
                if (symbol < 0 || (pass == 1 && stem == word))
                {
                    continue;
                }

                foreach (var e in _compiled.Index[symbol])
                {
                    if (lengths[e] > 1)
                    {
                        var m = masks.AsSpan(e * CompiledLexicon.MaskWords, CompiledLexicon.MaskWords);
                        if (((m[0] & ~text[0]) | (m[1] & ~text[1]) | (m[2] & ~text[2]) | (m[3] & ~text[3])) != 0)
                        {
                            continue;
                        }
                    }

                    candidateEntries[count] = e;
                    candidatePositions[count++] = i;
                }
            }
        }

        return count;
    }

    private static bool MatchesInOrder(ref MatchContext context, int[] symbols, int start)
    {
        if (start + symbols.Length > context.Count)
        {
            return false;
        }

        for (var j = 0; j < symbols.Length; j++)
        {
            var p = start + j;
            if (context.Clauses[p] != context.Clauses[start] || !Matches(context.WordSymbols, context.StemSymbols, p, symbols[j]))
            {
                return false;
            }
        }

        return true;
    }

    private static void MarkClause(ref MatchContext context, int clause, byte flag)
    {
        if (clause < context.ClauseFlags.Length)
        {
            context.ClauseFlags[clause] |= flag;
        }
    }

    // The words around a focus cue, in its part of the sentence, name what the citizen asks to fix or what is broken.
    private static void MarkFocus(ref MatchContext context, int start, int length)
    {
        var segment = context.Segments[start];
        var from = Math.Max(0, start - FocusWindow);
        var to = Math.Min(context.Count - 1, start + length - 1 + FocusWindow);
        for (var p = from; p <= to; p++)
        {
            if (context.Segments[p] == segment)
            {
                context.Flags[p] |= InFocus;
            }
        }
    }

    private static void MarkSegment(ref MatchContext context, int segment)
    {
        if (segment < context.ClauseFlags.Length)
        {
            context.ClauseFlags[segment] |= SegmentGrateful;
        }
    }

    // Topic, urgency and scope terms: longest first, so a phrase consumes its words before the single words are tried.
    private int MatchTerms(
        ref MatchContext context,
        scoped Span<ulong> matched,
        scoped Span<Accepted> accepted,
        int acceptedCount,
        scoped ReadOnlySpan<int> candidateEntries,
        scoped ReadOnlySpan<int> candidatePositions)
    {
        var entries = _compiled.Entries;
        var lengths = _compiled.EntryLengths;
        var layers = _compiled.EntryLayers;
        Span<int> positions = stackalloc int[LexiconTermParser.MaxTokens];
        for (var length = _compiled.MaxTermLength; length >= 1; length--)
        {
            for (var c = 0; c < candidateEntries.Length; c++)
            {
                var e = candidateEntries[c];
                if (lengths[e] != length || layers[e] >= CompiledLexicon.LayerNegation || IsMarked(matched, e))
                {
                    continue;
                }

                var i = candidatePositions[c];
                var entry = entries[e];
                if (!MatchesInWindow(ref context, entry, i, positions)
                    || (entry.Layer == CompiledLexicon.LayerUrgent && FollowsNegator(ref context, positions[..length])))
                {
                    continue;
                }

                var consumed = context.Consumed.Slice(entry.Layer * context.Capacity, context.Count);
                foreach (var p in positions[..length])
                {
                    consumed[p] = (byte)Math.Max(consumed[p], length);
                }

                TryMark(matched, e);
                accepted[acceptedCount++] = new Accepted(e, i, Effective(ref context, entry, i, positions[..length]));
            }
        }

        return acceptedCount;
    }

    // Transliterates a word of plain Latin letters the way Russian is commonly typed without a Cyrillic keyboard (shch, zh, ch,
    // ja, ju, y, ' ...); returns the length written, or 0 when the word has other characters or is too long.
    private static int Transliterate(ReadOnlySpan<char> latin, Span<char> destination)
    {
        if (latin.Length < 2 || latin.Length > destination.Length / 2)
        {
            return 0;
        }

        var length = 0;
        for (var i = 0; i < latin.Length; i++)
        {
            var c = latin[i];
            if (c is < 'a' or > 'z')
            {
                return 0;
            }

            var next = i + 1 < latin.Length ? latin[i + 1] : '\0';
            var afterNext = i + 2 < latin.Length ? latin[i + 2] : '\0';
            char letter;
            var consumed = 1;
            switch (c)
            {
                case 's' when next == 'h' && afterNext is 'c' or 'h' && (afterNext == 'h' || (i + 3 < latin.Length && latin[i + 3] == 'h')):
                    letter = 'щ';
                    consumed = afterNext == 'h' ? 3 : 4;
                    break;
                case 's' when next == 'c' && afterNext == 'h':
                    letter = 'щ';
                    consumed = 3;
                    break;
                case 's' when next == 'h':
                    letter = 'ш';
                    consumed = 2;
                    break;
                case 'z' when next == 'h':
                    letter = 'ж';
                    consumed = 2;
                    break;
                case 'k' when next == 'h':
                    letter = 'х';
                    consumed = 2;
                    break;
                case 'c' when next == 'h':
                    letter = 'ч';
                    consumed = 2;
                    break;
                case 't' when next == 's':
                    letter = 'ц';
                    consumed = 2;
                    break;
                case 'j' or 'y' when next == 'a':
                    letter = 'я';
                    consumed = 2;
                    break;
                case 'j' or 'y' when next == 'u':
                    letter = 'ю';
                    consumed = 2;
                    break;
                case 'j' or 'y' when next is 'o' or 'e':
                    letter = 'е';
                    consumed = 2;
                    break;
                case 'j':
                    letter = 'й';
                    break;
                case 'y':
                    letter = i > 0 && IsLatinVowel(latin[i - 1]) ? 'й' : 'ы';
                    break;
                case 'x':
                    destination[length++] = 'к';
                    letter = 'с';
                    break;
                default:
                    letter = "абцдефгхиjклмнопкрстуввxыз"[c - 'a'];
                    break;
            }

            destination[length++] = letter;
            i += consumed - 1;
        }

        return length;
    }

    private static bool IsLatinVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    // Words that introduce a street or settlement name: ул. Школьная, пер. Речной, ст. Отрадная, х. Лесной.
    private static bool IsAddressWord(ReadOnlySpan<char> word) =>
        word is "ул" or "улица" or "улице" or "улицы" or "пр" or "просп" or "проспект" or "пер" or "переулок" or "бул" or "наб"
            or "мкр" or "микрорайон" or "ст" or "станица" or "станице" or "х" or "хутор" or "хуторе" or "пос" or "поселок" or "поселке"
            or "г" or "им" or "пл" or "ш" or "туп" or "проезд";

    // A name rather than a word: capitalised (Школьная, not ШКОЛЬНАЯ) and either right after an address word, or an adjective
    // in the middle of a sentence (на Садовой, в Горячем Ключе), where Russian capitalises only names.
    private static bool IsPlaceName(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> word, bool afterAddress)
    {
        if (word.Length < 4 || start + 1 >= text.Length || !char.IsUpper(text[start]) || !char.IsLower(text[start + 1]))
        {
            return false;
        }

        if (afterAddress)
        {
            return true;
        }

        if (!(word.EndsWith("ая") || word.EndsWith("яя") || word.EndsWith("ое") || word.EndsWith("ее") || word.EndsWith("ый")
            || word.EndsWith("ий") || word.EndsWith("ую") || word.EndsWith("юю") || word.EndsWith("ым") || word.EndsWith("им")
            || IsAdjectiveLike(word)))
        {
            return false;
        }

        // Not the first word of a sentence, where every word is capitalised.
        for (var i = start - 1; i >= 0; i--)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) && c is not '\n' and not '\r')
            {
                continue;
            }

            return c is not ('.' or '!' or '?' or '…' or '\n' or '\r');
        }

        return false;
    }

    // Oblique-case adjective and possessive endings: нашей, детского, старых, этом.
    private static bool IsAdjectiveLike(ReadOnlySpan<char> word) =>
        word.Length > 3 && (word.EndsWith("ого") || word.EndsWith("его") || word.EndsWith("ой") || word.EndsWith("ей")
            || word.EndsWith("ых") || word.EndsWith("их") || word.EndsWith("ом") || word.EndsWith("ем") || word.EndsWith("ому") || word.EndsWith("ему"));

    // An urgency cue right after "не" is no danger: "фонарь не горит".
    private static bool FollowsNegator(ref MatchContext context, scoped ReadOnlySpan<int> positions)
    {
        var first = positions[0];
        foreach (var p in positions)
        {
            first = Math.Min(first, p);
        }

        return first > 0 && context.Clauses[first - 1] == context.Clauses[first]
            && (context.Flags[first - 1] & (byte)CompiledLexicon.WordFlags.Negator) != 0;
    }

    // All words of the term in one clause, in any order, not consumed by a longer term of the same layer, spanning at most
    // the term's length plus MaxGap tokens.
    private static bool MatchesInWindow(ref MatchContext context, CompiledLexicon.Entry entry, int start, scoped Span<int> positions)
    {
        var length = entry.Symbols.Length;
        var consumed = context.Consumed.Slice(entry.Layer * context.Capacity, context.Count);
        if (consumed[start] > length)
        {
            return false;
        }

        if (length == 1)
        {
            positions[0] = start;
            return true;
        }

        // The anchor word stands at start; the other words are looked for around it, nearest first.
        positions[entry.Anchor] = start;
        int min = start, max = start;
        var window = length - 1 + MaxGap;
        var segment = context.Segments[start];
        for (var j = 0; j < length; j++)
        {
            if (j == entry.Anchor)
            {
                continue;
            }

            var found = -1;
            for (var distance = 1; distance <= window && found < 0; distance++)
            {
                for (var side = 0; side < 2 && found < 0; side++)
                {
                    var p = side == 0 ? start + distance : start - distance;
                    if ((uint)p >= (uint)context.Count || context.Segments[p] != segment || consumed[p] > length
                        || !Matches(context.WordSymbols, context.StemSymbols, p, entry.Symbols[j]) || IsTaken(positions, j, entry.Anchor, p)
                        || OutOfShortWordOrder(entry, positions, j, p))
                    {
                        continue;
                    }

                    found = p;
                }
            }

            if (found < 0)
            {
                return false;
            }

            positions[j] = found;
            min = Math.Min(min, found);
            max = Math.Max(max, found);
        }

        if (max - min + 1 > length + MaxGap)
        {
            return false;
        }

        // A short word (a preposition or particle) stands before the word it belongs to: "в долг" is not "долга в".
        for (var j = 0; j + 1 < length; j++)
        {
            if (((entry.ShortWords >> j) & 1) != 0 && positions[j] > positions[j + 1])
            {
                return false;
            }
        }

        return true;
    }

    // Whether word j of the term at position p would stand on the wrong side of a short word placed before it: a short word
    // precedes the next word of its term ("на проводах", not "провода на").
    private static bool OutOfShortWordOrder(CompiledLexicon.Entry entry, scoped ReadOnlySpan<int> positions, int j, int p)
    {
        var shortWords = entry.ShortWords;
        if (shortWords == 0)
        {
            return false;
        }

        // The short word j before the next word, when that is the anchor (already placed).
        if (((shortWords >> j) & 1) != 0 && j + 1 == entry.Anchor && p > positions[j + 1])
        {
            return true;
        }

        // Word j after the short word j - 1, placed already (words are placed in order, the anchor first).
        return j > 0 && ((shortWords >> (j - 1)) & 1) != 0 && p < positions[j - 1];
    }

    // Whether position p is already used by the anchor or by one of the words 0..j-1 of the phrase being matched.
    private static bool IsTaken(scoped ReadOnlySpan<int> positions, int j, int anchor, int p)
    {
        if (positions[anchor] == p)
        {
            return true;
        }

        for (var k = 0; k < j; k++)
        {
            if (k != anchor && positions[k] == p)
            {
                return true;
            }
        }

        return false;
    }

    private double Effective(ref MatchContext context, CompiledLexicon.Entry entry, int position, scoped ReadOnlySpan<int> positions)
    {
        var negated = (context.ClauseFlags[context.Clauses[position]] & ClauseNegated) != 0;
        var grateful = (context.ClauseFlags[context.Segments[position]] & SegmentGrateful) != 0;
        var first = position;
        foreach (var p in positions)
        {
            first = Math.Min(first, p);
        }

        var located = (context.Flags[first] & AfterLocation) != 0;
        var focused = false;
        foreach (var p in positions)
        {
            focused |= (context.Flags[p] & InFocus) != 0;
        }

        // What is named first is usually what the appeal is about: early topic terms weigh more.
        var early = 1 + (_earlyMentionBoost * Math.Max(0, 1 - (first / (double)EarlyMentionHorizon)));
        return entry.Layer switch
        {
            CompiledLexicon.LayerTopic => entry.Weight * early
                * Math.Min(negated ? _negationFactor : 1, grateful ? _gratitudeFactor : 1) * (located ? _locationFactor : 1)
                * (focused ? FocusFactor : 1),
            CompiledLexicon.LayerUrgent => negated || grateful ? 0 : entry.Weight,

            // An advertisement or a request for a recommendation says so first: "Продам ...", "Посоветуйте ...".
            CompiledLexicon.LayerOutOfScope => negated ? 0 : entry.Weight > 0 ? entry.Weight * early : entry.Weight,
            _ => negated ? 0 : entry.Weight,
        };
    }

    [SkipLocalsInit] // Every stack buffer is written before it is read.
    private AppealClassification Decide<TObserver>(scoped Span<Accepted> accepted, ref TObserver observer)
        where TObserver : struct, ILexiconObserver
    {
        var entries = _compiled.Entries;
        bool gratitude = false, complaint = false;
        foreach (var match in accepted)
        {
            gratitude |= entries[match.Entry].Layer == CompiledLexicon.LayerGratitude;
            complaint |= entries[match.Entry].Layer == CompiledLexicon.LayerComplaint;
        }

        // A thank-you that complains about nothing routes nowhere and is never urgent.
        var pureThanks = gratitude && !complaint;
        if (pureThanks)
        {
            for (var i = 0; i < accepted.Length; i++)
            {
                var layer = entries[accepted[i].Entry].Layer;
                if (layer == CompiledLexicon.LayerTopic)
                {
                    accepted[i] = accepted[i] with { Weight = accepted[i].Weight * _gratitudeFactor };
                }
                else if (layer == CompiledLexicon.LayerUrgent)
                {
                    accepted[i] = accepted[i] with { Weight = 0 };
                }
            }
        }

        var topicCount = _compiled.TopicCodes.Length;
        var subtopicCount = _compiled.SubtopicCodes.Length;
        Span<double> scores = topicCount + subtopicCount <= 512 ? stackalloc double[topicCount + subtopicCount] : new double[topicCount + subtopicCount];
        scores.Clear();
        var topicScores = scores[..topicCount];
        var subtopicScores = scores[topicCount..];
        double urgent = 0, outOfScope = 0;
        var negation = false;
        foreach (var match in accepted)
        {
            var entry = entries[match.Entry];
            switch (entry.Layer)
            {
                case CompiledLexicon.LayerTopic:
                    topicScores[entry.Topic] += match.Weight;
                    if (entry.Subtopic >= 0)
                    {
                        subtopicScores[entry.Subtopic] += match.Weight;
                    }

                    break;
                case CompiledLexicon.LayerUrgent:
                    urgent += match.Weight;
                    break;
                case CompiledLexicon.LayerOutOfScope:
                    outOfScope += match.Weight;
                    break;
                case CompiledLexicon.LayerNegation:
                    negation = true;
                    break;
                default:
                    break;
            }
        }

        int best = -1, second = -1;
        for (var t = 0; t < topicCount; t++)
        {
            if (topicScores[t] <= 0)
            {
                continue;
            }

            if (best < 0 || topicScores[t] > topicScores[best])
            {
                second = best;
                best = t;
            }
            else if (second < 0 || topicScores[t] > topicScores[second])
            {
                second = t;
            }
        }

        var bestScore = best < 0 ? 0 : topicScores[best];
        var secondScore = second < 0 ? 0 : topicScores[second];
        // Confidence grows with the best topic's lead over the second (relative margin) and with its own score.
        var confidence = bestScore <= 0 ? 0 : (bestScore - secondScore) / bestScore * (1 - Math.Exp(-bestScore / ConfidenceScale));
        var terms = BuildTerms(accepted, includeComplaints: gratitude, ref observer);
        var isOutOfScope = outOfScope >= _outOfScopeThreshold && outOfScope >= bestScore * OutOfScopeDominance;
        var isUrgent = !isOutOfScope && urgent >= _urgentThreshold;
        if (isOutOfScope)
        {
            return new AppealClassification(
                TopicCode.Other, null, false, true, Math.Min(1, outOfScope / (outOfScope + bestScore) * (1 - Math.Exp(-outOfScope / 2))), terms,
                $"out of scope: cues scored {Format(outOfScope)} (threshold {Format(_outOfScopeThreshold)}).");
        }

        if (pureThanks)
        {
            return new AppealClassification(TopicCode.Other, null, false, false, Math.Max(0.5, 1 - confidence), terms,
                "gratitude: the text thanks and complains about nothing.");
        }

        if (best < 0 || bestScore < _abstainThreshold || confidence < _minConfidence || best == _compiled.OtherTopic)
        {
            string reason;
            if (best < 0)
            {
                reason = negation ? "abstained: the problem is reported as solved; no topic terms remain." : "abstained: no topic terms matched.";
            }
            else if (best == _compiled.OtherTopic)
            {
                reason = "other: the terms of the topic 'other' scored highest.";
            }
            else if (bestScore < _abstainThreshold)
            {
                var code = _compiled.TopicCodes[best].Value;
                reason = $"abstained: best topic {code} scored {Format(bestScore)} below threshold {Format(_abstainThreshold)}.";
            }
            else
            {
                reason = $"abstained: best topic {_compiled.TopicCodes[best].Value} ({Format(bestScore)}) and {_compiled.TopicCodes[second].Value} ({Format(secondScore)}) are too close: confidence {Format(confidence)} below {Format(_minConfidence)}.";
            }

            return new AppealClassification(TopicCode.Other, null, isUrgent, false, 1 - confidence, terms, reason);
        }

        string? subtopic = null;
        var bestSubtopicScore = 0.0;
        for (var s = 0; s < subtopicCount; s++)
        {
            if (_compiled.SubtopicTopics[s] == best && subtopicScores[s] > bestSubtopicScore)
            {
                bestSubtopicScore = subtopicScores[s];
                subtopic = _compiled.SubtopicCodes[s];
            }
        }

        return new AppealClassification(_compiled.TopicCodes[best], subtopic, isUrgent, false, confidence, terms);
    }

    // The matched terms in the order of the text. Complaint cues only explain something next to a gratitude cue.
    private MatchedTerm[] BuildTerms<TObserver>(Span<Accepted> accepted, bool includeComplaints, ref TObserver observer)
        where TObserver : struct, ILexiconObserver
    {
        var count = 0;
        foreach (var match in accepted)
        {
            if (includeComplaints || _compiled.Entries[match.Entry].Layer != CompiledLexicon.LayerComplaint)
            {
                count++;
            }
        }

        if (count == 0)
        {
            return [];
        }

        accepted.Sort(static (a, b) => a.Position != b.Position ? a.Position.CompareTo(b.Position) : a.Entry.CompareTo(b.Entry));
        var terms = new MatchedTerm[count];
        var index = 0;
        foreach (var match in accepted)
        {
            var entry = _compiled.Entries[match.Entry];
            if (includeComplaints || entry.Layer != CompiledLexicon.LayerComplaint)
            {
                var weight = Math.Round(match.Weight, 4);
                terms[index++] = new MatchedTerm(entry.Text, entry.Target, weight);
                observer.Term(match.Entry, weight);
            }
        }

        return terms;
    }

    /// <summary>An observer that sees nothing: the plain classification.</summary>
    private readonly struct NoObserver : ILexiconObserver
    {
        public bool WantsStems => false;

        public void Stem(int stemId, scoped ReadOnlySpan<char> stem)
        {
        }

        public void Term(int entry, double weight)
        {
        }
    }

    /// <summary>A matched term: its entry, the position where it was found, and the weight it contributed.</summary>
    private readonly record struct Accepted(int Entry, int Position, double Weight);

    /// <summary>The per-call token tables of one text.</summary>
    private ref struct MatchContext
    {
        public MatchContext(
            Span<int> wordSymbols, Span<int> stemSymbols, Span<int> clauses, Span<int> segments, Span<byte> flags,
            Span<byte> consumed, Span<byte> clauseFlags, int count)
        {
            WordSymbols = wordSymbols;
            StemSymbols = stemSymbols;
            Clauses = clauses;
            Segments = segments;
            Flags = flags;
            Consumed = consumed;
            ClauseFlags = clauseFlags;
            Count = count;
            Capacity = count;
        }

        public Span<int> WordSymbols { get; }

        public Span<int> StemSymbols { get; }

        public Span<int> Clauses { get; }

        public Span<int> Segments { get; }

        public Span<byte> Flags { get; }

        public Span<byte> Consumed { get; }

        public Span<byte> ClauseFlags { get; }

        public int Count { get; }

        public int Capacity { get; }
    }
}
