namespace Mcu.Sdk.Classification;

/// <summary>
/// A read-only character trie over the lexicon's stems and word forms. One walk along a text's word tells, without
/// allocating and without hashing, whether the word is a known word form and which lexicon stems are prefixes of it.
/// </summary>
/// <remarks>
/// A Snowball stem is always a prefix of its word, so a word none of whose prefixes is a lexicon stem cannot match any
/// stem: the classifier skips stemming it. When a prefix is a stem, the stem the stemmer produces is looked up by its
/// length in the symbols gathered on the walk.
/// </remarks>
internal sealed class SymbolTrie
{
    private const int NoSymbol = -1;

    // Children of node n are _childChars/_childNodes[_firstChild[n] .. _firstChild[n + 1]), sorted by character.
    private readonly int[] _firstChild;
    private readonly char[] _childChars;
    private readonly int[] _childNodes;
    private readonly int[] _stemSymbol;
    private readonly int[] _wordIndex;

    // The root's children, directly indexed for the lower-case Russian letters а..я.
    private readonly int[] _rootCyrillic;

    public SymbolTrie(IReadOnlyDictionary<string, int> stems, IReadOnlyList<string> words)
    {
        // Build a mutable trie, then flatten it breadth-first.
        var children = new List<SortedDictionary<char, int>> { new() };
        var stemAt = new List<int> { NoSymbol };
        var wordAt = new List<int> { NoSymbol };

        int Insert(string key)
        {
            var node = 0;
            foreach (var c in key)
            {
                if (!children[node].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children.Add([]);
                    stemAt.Add(NoSymbol);
                    wordAt.Add(NoSymbol);
                    children[node].Add(c, next);
                }

                node = next;
            }

            return node;
        }

        foreach (var (stem, symbol) in stems)
        {
            stemAt[Insert(stem)] = symbol;
        }

        for (var i = 0; i < words.Count; i++)
        {
            wordAt[Insert(words[i])] = i;
        }

        var order = new List<int> { 0 };
        var newIndex = new int[children.Count];
        for (var head = 0; head < order.Count; head++)
        {
            foreach (var child in children[order[head]].Values)
            {
                newIndex[child] = order.Count;
                order.Add(child);
            }
        }

        _firstChild = new int[order.Count + 1];
        _childChars = new char[order.Count - 1];
        _childNodes = new int[order.Count - 1];
        _stemSymbol = new int[order.Count];
        _wordIndex = new int[order.Count];
        var edge = 0;
        for (var n = 0; n < order.Count; n++)
        {
            var old = order[n];
            _firstChild[n] = edge;
            _stemSymbol[n] = stemAt[old];
            _wordIndex[n] = wordAt[old];
            foreach (var (c, child) in children[old])
            {
                _childChars[edge] = c;
                _childNodes[edge++] = newIndex[child];
            }
        }

        _firstChild[order.Count] = edge;
        _rootCyrillic = new int[32];
        for (var i = 0; i < _rootCyrillic.Length; i++)
        {
            _rootCyrillic[i] = FindChild(0, (char)('а' + i));
        }
    }

    /// <summary>Walks a word.</summary>
    /// <param name="word">The normalized word.</param>
    /// <param name="stemAtLength">
    /// Receives, for each prefix length from 1 to the word's length (capped by the span), the symbol of the lexicon stem equal
    /// to that prefix or -1; entry 0 is unused. Only lengths up to the returned deepest stem length are written.
    /// </param>
    /// <param name="wordIndex">The index of the word among the trie's word forms, or -1.</param>
    /// <returns>The length of the longest prefix that is a lexicon stem, or 0 when none is.</returns>
    public int Walk(ReadOnlySpan<char> word, Span<int> stemAtLength, out int wordIndex)
    {
        wordIndex = NoSymbol;
        var deepest = 0;
        var node = 0;
        for (var depth = 0; depth < word.Length; depth++)
        {
            var c = word[depth];
            node = depth == 0 && (uint)(c - 'а') < 32u ? _rootCyrillic[c - 'а'] : FindChild(node, c);
            if (node < 0)
            {
                return deepest;
            }

            var symbol = _stemSymbol[node];
            if (depth + 1 < stemAtLength.Length)
            {
                stemAtLength[depth + 1] = symbol;
            }

            if (symbol >= 0)
            {
                deepest = depth + 1;
            }
        }

        wordIndex = _wordIndex[node];
        return deepest;
    }

    private int FindChild(int node, char c)
    {
        var end = _firstChild[node + 1];
        for (var edge = _firstChild[node]; edge < end; edge++)
        {
            var edgeChar = _childChars[edge];
            if (edgeChar == c)
            {
                return _childNodes[edge];
            }

            if (edgeChar > c)
            {
                break;
            }
        }

        return NoSymbol;
    }
}
