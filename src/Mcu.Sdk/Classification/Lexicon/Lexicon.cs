using System.Text;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// The data behind <see cref="LexiconClassifier"/>: Russian words and phrases with weights per topic and subtopic, urgency
/// and out-of-scope cues, negation and gratitude cues, and stem overrides.
/// </summary>
/// <remarks>
/// <para>
/// A lexicon is immutable. <see cref="Default"/> is the SDK's lexicon for the taxonomy in <c>docs/taxonomy.md</c>; a city
/// loads its own additions with <see cref="LoadFile(string)"/> or <see cref="Load(Stream, string?)"/> and combines them with
/// <see cref="Merge(Lexicon)"/>: a term of the other lexicon overrides the weight of the term with the same target and the
/// same stems, a term with weight <c>0</c> removes it, and new terms and topics are added. The JSON format is described in
/// <c>docs/classifier.md</c>.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed class Lexicon
{
    /// <summary>The manifest resource name of the default lexicon.</summary>
    internal const string DefaultResourceName = "Mcu.Sdk.Classification.Lexicon.Data.lexicon-ru.json";

    private static readonly Lazy<Lexicon> DefaultLexicon = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Initializes a new instance of the <see cref="Lexicon"/> class from terms built in code.</summary>
    /// <param name="terms">The terms. Terms with weight <c>0</c> are removal markers for <see cref="Merge(Lexicon)"/>.</param>
    /// <param name="stemOverrides">
    /// Word forms mapped to the stem to use instead of the stemmer's (<c>подвал</c> → <c>подвал</c>); an empty stem is a
    /// removal marker for <see cref="Merge(Lexicon)"/>. May be <see langword="null"/>.
    /// </param>
    /// <param name="names">Human-readable names of topics and subtopics, keyed by target (<c>roads/potholes</c>). May be <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="terms"/> is <see langword="null"/> or contains <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A term has no words or more than six, two terms of one target have the same stems, or a stem override or name is invalid.
    /// </exception>
    public Lexicon(
        IEnumerable<LexiconTerm> terms,
        IReadOnlyDictionary<string, string>? stemOverrides = null,
        IReadOnlyDictionary<string, string>? names = null)
    {
        Throw.IfNull(terms);
        var overrides = NormalizeOverrides(stemOverrides, static message => new ArgumentException(message, nameof(stemOverrides)));
        var list = new List<LexiconTerm>();
        foreach (var term in terms)
        {
            list.Add(term ?? throw new ArgumentNullException(nameof(terms), "The list of terms contains null."));
        }

        Validate(list, overrides, (_, message) => new ArgumentException(message, nameof(terms)));
        Terms = list.AsReadOnly();
        StemOverrides = overrides.AsReadOnly();
        Names = NormalizeNames(names).AsReadOnly();
    }

    private Lexicon(List<LexiconTerm> terms, Dictionary<string, string> overrides, Dictionary<string, string> names)
    {
        Terms = terms.AsReadOnly();
        StemOverrides = overrides.AsReadOnly();
        Names = names.AsReadOnly();
    }

    /// <summary>Gets the SDK's default Russian lexicon for the twenty well-known topics.</summary>
    /// <exception cref="InvalidOperationException">The embedded lexicon is missing or invalid (a broken build of the SDK).</exception>
    public static Lexicon Default => DefaultLexicon.Value;

    /// <summary>Gets a lexicon without terms.</summary>
    public static Lexicon Empty { get; } = new(new List<LexiconTerm>(), new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Gets the terms, in the order they were written.</summary>
    public IReadOnlyList<LexiconTerm> Terms { get; }

    /// <summary>Gets the stem overrides: a normalized word form and the stem used for it instead of the stemmer's.</summary>
    public IReadOnlyDictionary<string, string> StemOverrides { get; }

    /// <summary>Gets the human-readable (Russian) names of topics and subtopics, keyed by target such as <c>roads/potholes</c>.</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    /// <summary>Reads a lexicon from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream with the JSON; it is read to the end and not disposed.</param>
    /// <param name="sourceName">A name for error messages, such as the file's path; or <see langword="null"/>.</param>
    /// <returns>The lexicon.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.Text.Json.JsonException">
    /// The JSON is malformed or does not follow the lexicon format; the message names the line, the position in the line
    /// (both from 1) and the JSON path, and the exception's <see cref="System.Text.Json.JsonException.LineNumber"/> and
    /// <see cref="System.Text.Json.JsonException.BytePositionInLine"/> (both from 0) are set.
    /// </exception>
    public static Lexicon Load(Stream utf8Json, string? sourceName = null)
    {
        Throw.IfNull(utf8Json);
        using var copy = new MemoryStream();
        utf8Json.CopyTo(copy);
        return FromJson(copy.GetBuffer().AsSpan(0, (int)copy.Length), sourceName ?? "lexicon");
    }

    /// <summary>Reads a lexicon from a UTF-8 JSON file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The lexicon.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="System.Text.Json.JsonException">The JSON is malformed or does not follow the lexicon format (see <see cref="Load(Stream, string?)"/>).</exception>
    public static Lexicon LoadFile(string path)
    {
        Throw.IfNullOrWhiteSpace(path);
        var bytes = File.ReadAllBytes(path);
        return FromJson(bytes, path);
    }

    /// <summary>Reads a lexicon from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">A name for error messages; or <see langword="null"/>.</param>
    /// <returns>The lexicon.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.Text.Json.JsonException">The JSON is malformed or does not follow the lexicon format (see <see cref="Load(Stream, string?)"/>).</exception>
    public static Lexicon Parse(string json, string? sourceName = null)
    {
        Throw.IfNull(json);
        return FromJson(Encoding.UTF8.GetBytes(json), sourceName ?? "lexicon");
    }

    /// <summary>Returns a new lexicon: this one with the terms, stem overrides and names of another laid over it.</summary>
    /// <param name="other">The lexicon to lay over this one, such as a city's own file.</param>
    /// <returns>
    /// The merged lexicon. A term of <paramref name="other"/> replaces the term of this lexicon with the same target and the
    /// same stems (so <c>открытого люка</c> replaces <c>открытый люк</c>); one with weight <c>0</c> removes it; other terms are
    /// added. A stem override of <paramref name="other"/> replaces this one's, and one with an empty stem removes it.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public Lexicon Merge(Lexicon other)
    {
        Throw.IfNull(other);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (word, stem) in StemOverrides)
        {
            if (stem.Length > 0)
            {
                overrides[word] = stem;
            }
        }

        foreach (var (word, stem) in other.StemOverrides)
        {
            if (stem.Length > 0)
            {
                overrides[word] = stem;
            }
            else
            {
                overrides.Remove(word);
            }
        }

        var tokens = new List<TermToken>();
        var merged = new Dictionary<string, LexiconTerm>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var term in Terms)
        {
            if (term.IsRemoval || !LexiconTermParser.TryParse(term.Text, overrides, tokens, out _))
            {
                continue;
            }

            var key = LexiconTermParser.Key(term.Target, tokens);
            if (merged.TryAdd(key, term))
            {
                order.Add(key);
            }
            else
            {
                merged[key] = term;
            }
        }

        foreach (var term in other.Terms)
        {
            if (!LexiconTermParser.TryParse(term.Text, overrides, tokens, out _))
            {
                continue;
            }

            var key = LexiconTermParser.Key(term.Target, tokens);
            if (term.IsRemoval)
            {
                merged.Remove(key);
            }
            else if (merged.TryAdd(key, term))
            {
                order.Add(key);
            }
            else
            {
                merged[key] = term;
            }
        }

        var terms = new List<LexiconTerm>(merged.Count);
        foreach (var key in order)
        {
            if (merged.TryGetValue(key, out var term))
            {
                terms.Add(term);
            }
        }

        var names = new Dictionary<string, string>(Names, StringComparer.Ordinal);
        foreach (var (target, name) in other.Names)
        {
            names[target] = name;
        }

        return new Lexicon(terms, overrides, names);
    }

    /// <summary>Builds a lexicon from parts the JSON reader has already checked, reporting errors through <paramref name="fail"/>.</summary>
    internal static Lexicon Create(
        List<LexiconTerm> terms,
        Dictionary<string, string> overrides,
        Dictionary<string, string> names,
        Func<int, string, Exception> fail)
    {
        Validate(terms, overrides, fail);
        return new Lexicon(terms, overrides, names);
    }

    /// <summary>Checks and normalizes one stem override; returns an error message, or <see langword="null"/>.</summary>
    internal static string? TryNormalizeOverride(string word, string? stem, out string normalizedWord, out string normalizedStem)
    {
        normalizedStem = string.Empty;
        if (!LexiconTermParser.TryNormalizeSingleWord(word.Trim(), out normalizedWord))
        {
            return $"The stem override key '{word}' must be one word.";
        }

        if (string.IsNullOrWhiteSpace(stem))
        {
            return null;
        }

        return LexiconTermParser.TryNormalizeSingleWord(stem.Trim(), out normalizedStem)
            ? null
            : $"The stem override '{word}' → '{stem}' must map to one stem without spaces or punctuation.";
    }

    private static void Validate(List<LexiconTerm> terms, Dictionary<string, string> overrides, Func<int, string, Exception> fail)
    {
        var tokens = new List<TermToken>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (!LexiconTermParser.TryParse(term.Text, overrides, tokens, out var error))
            {
                throw fail(i, error);
            }

            var key = LexiconTermParser.Key(term.Target, tokens);
            if (!seen.TryAdd(key, term.Text))
            {
                throw fail(i, $"The term '{term.Text}' of '{term.Target}' repeats '{seen[key]}' (the same stems).");
            }
        }
    }

    private static Dictionary<string, string> NormalizeOverrides(IReadOnlyDictionary<string, string>? overrides, Func<string, Exception> fail)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (overrides is null)
        {
            return result;
        }

        foreach (var (word, stem) in overrides)
        {
            if (word is null)
            {
                throw fail("A stem override key is null.");
            }

            var error = TryNormalizeOverride(word, stem, out var normalizedWord, out var normalizedStem);
            if (error is not null)
            {
                throw fail(error);
            }

            result[normalizedWord] = normalizedStem;
        }

        return result;
    }

    private static Dictionary<string, string> NormalizeNames(IReadOnlyDictionary<string, string>? names)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (names is null)
        {
            return result;
        }

        foreach (var (target, name) in names)
        {
            if (target is null)
            {
                throw new ArgumentException("A name's key is null.", nameof(names));
            }

            if (!LexiconTargets.TryNormalize(target, out var normalized, out var error))
            {
                throw new ArgumentException(error, nameof(names));
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"The name of '{target}' is empty.", nameof(names));
            }

            result[normalized] = name.Trim();
        }

        return result;
    }

    private static Lexicon FromJson(ReadOnlySpan<byte> utf8, string sourceName) => LexiconJsonReader.Read(utf8, sourceName);

    private static Lexicon LoadDefault()
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{DefaultResourceName}' is missing from {typeof(Lexicon).Assembly.GetName().Name}.");
        try
        {
            return Load(stream, DefaultResourceName);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidOperationException($"The embedded default lexicon is invalid: {ex.Message}", ex);
        }
    }
}
