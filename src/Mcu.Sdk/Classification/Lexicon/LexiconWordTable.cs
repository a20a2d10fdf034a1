using System.Collections.Concurrent;

namespace Mcu.Sdk.Classification;

/// <summary>
/// The word forms a <see cref="LexiconClassifier"/> has already looked up, with what the lexicon knows of each and the
/// form's Snowball stem: most words repeat from appeal to appeal, and a form found here skips the lexicon's trie, the
/// transliteration and the stemmer. Stems get dense ids, so a consumer of the words (the stacked model) can keep its own
/// facts about a stem in an array. Bounded; safe for concurrent use (lock-free reads, a lock only when a form or a stem is
/// new). Forms are hashed with the runtime's randomized string hash, so crafted words cannot pile up in one probe chain.
/// </summary>
internal sealed class LexiconWordTable
{
    /// <summary>The longest form kept; longer words are looked up every time.</summary>
    public const int MaxFormLength = 64;

    /// <summary>The most forms kept by default; later new forms are looked up every time.</summary>
    public const int MaxForms = 200_000;

    private const int InitialSlots = 1024;

    // The forms: an open-addressing table with linear probing, written under the lock, read without it. A slot, once
    // set, never changes; a larger table is filled and then published whole.
    private Form?[] _slots = new Form?[InitialSlots];
    private readonly ConcurrentDictionary<string, int> _stems = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _stemLookup;
    private readonly Lock _gate = new();
    private readonly int _maxForms;
    private int _formCount;
    private int _stemCount;

    /// <summary>Initializes a new instance of the <see cref="LexiconWordTable"/> class.</summary>
    /// <param name="maxForms">The most forms (and stems) kept.</param>
    public LexiconWordTable(int maxForms = MaxForms)
    {
        _maxForms = maxForms;
        _stemLookup = _stems.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the number of forms kept.</summary>
    public int FormCount => Volatile.Read(ref _formCount);

    /// <summary>Finds a form.</summary>
    /// <param name="form">The normalized word.</param>
    /// <param name="word">What is known of it.</param>
    /// <returns><see langword="true"/> when the form is kept.</returns>
    public bool TryGet(ReadOnlySpan<char> form, out LexiconWord word)
    {
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        var hash = string.GetHashCode(form);
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var entry = Volatile.Read(ref slots[i]);
            if (entry is null)
            {
                word = default;
                return false;
            }

            if (entry.Hash == hash && form.SequenceEqual(entry.Key))
            {
                word = entry.Word;
                return true;
            }
        }
    }

    /// <summary>Keeps a form unless the table is full or the form too long.</summary>
    /// <param name="form">The normalized word.</param>
    /// <param name="word">What is known of it.</param>
    public void Add(ReadOnlySpan<char> form, LexiconWord word)
    {
        if (form.Length > MaxFormLength || Volatile.Read(ref _formCount) >= _maxForms)
        {
            return;
        }

        var hash = string.GetHashCode(form);
        lock (_gate)
        {
            if (_formCount >= _maxForms || TryGet(form, out _))
            {
                return;
            }

            var slots = _slots;
            if ((_formCount + 1) * 2 > slots.Length)
            {
                // Keep the table at most half full: probes stay short.
                var grown = new Form?[slots.Length * 2];
                foreach (var entry in slots)
                {
                    if (entry is not null)
                    {
                        Insert(grown, entry);
                    }
                }

                Volatile.Write(ref _slots, grown);
                slots = grown;
            }

            Insert(slots, new Form(form.ToString(), hash, word));
            Volatile.Write(ref _formCount, _formCount + 1);
        }
    }

    private static void Insert(Form?[] slots, Form form)
    {
        var mask = slots.Length - 1;
        var i = form.Hash & mask;
        while (slots[i] is not null)
        {
            i = (i + 1) & mask;
        }

        Volatile.Write(ref slots[i], form);
    }

    /// <summary>Returns the id of a stem, giving it one when it is new and the table is not full.</summary>
    /// <param name="stem">The stem, not empty.</param>
    /// <param name="text">The stem as a string (the one kept), or <see langword="null"/> when it has no id.</param>
    /// <returns>The id, from 0; or -1 when the table is full.</returns>
    public int GetOrAddStem(ReadOnlySpan<char> stem, out string? text)
    {
        if (_stemLookup.TryGetValue(stem, out var actual, out var id))
        {
            text = actual;
            return id;
        }

        lock (_gate)
        {
            if (_stemLookup.TryGetValue(stem, out actual, out id))
            {
                text = actual;
                return id;
            }

            if (_stemCount >= _maxForms)
            {
                text = null;
                return -1;
            }

            text = stem.ToString();
            id = _stemCount;
            _stems[text] = id;
            Volatile.Write(ref _stemCount, id + 1);
            return id;
        }
    }

    /// <summary>A kept form: the text, its hash and what is known of it.</summary>
    private sealed record Form(string Key, int Hash, LexiconWord Word);
}

/// <summary>What the lexicon knows of one word form.</summary>
/// <param name="WordSymbol">The symbol of the form itself as an exact word, or -1.</param>
/// <param name="StemSymbol">The symbol of the form's lexicon stem, or -1.</param>
/// <param name="Flags">The form's flags.</param>
/// <param name="StemId">The id of the form's Snowball stem in its <see cref="LexiconWordTable"/>, or -1 (no id, or an empty stem).</param>
/// <param name="Stem">The form's Snowball stem, or <see langword="null"/> when it is empty.</param>
internal readonly record struct LexiconWord(int WordSymbol, int StemSymbol, CompiledLexicon.WordFlags Flags, int StemId, string? Stem);

/// <summary>Sees what the rules read while they classify a text: every word's stem and every matched term.</summary>
internal interface ILexiconObserver
{
    /// <summary>Gets a value indicating whether the observer wants the words' stems (the rules skip stemming otherwise).</summary>
    bool WantsStems { get; }

    /// <summary>Receives the Snowball stem of one word of the text (the form as written, before any transliteration), in order.</summary>
    /// <param name="stemId">The stem's id in the classifier's word table, or -1 when it has none.</param>
    /// <param name="stem">The stem, not empty; valid only during the call.</param>
    void Stem(int stemId, scoped ReadOnlySpan<char> stem);

    /// <summary>Receives one term of the result, in the order of <see cref="AppealClassification.Terms"/>.</summary>
    /// <param name="entry">The term's index in the compiled lexicon.</param>
    /// <param name="weight">The weight the result lists.</param>
    void Term(int entry, double weight);
}
