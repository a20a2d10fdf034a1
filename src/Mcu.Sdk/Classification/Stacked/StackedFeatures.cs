namespace Mcu.Sdk.Classification;

/// <summary>Receives the features of a text and its rules' decision, one call per feature.</summary>
internal interface IStackedFeatureVisitor
{
    /// <summary>Receives one feature.</summary>
    /// <param name="name">The feature's name; valid only during the call.</param>
    /// <param name="value">The feature's value.</param>
    void Visit(scoped ReadOnlySpan<char> name, float value);
}

/// <summary>
/// The features of <see cref="LogisticModel"/>: what the text says (its stems and stem pairs) and what the lexicon's rules
/// found in it (their matched terms, their score per topic and subtopic, their decision and its confidence).
/// </summary>
/// <remarks>
/// <para>Feature names (a word never contains <c>@</c>, so the two families cannot collide):</para>
/// <list type="bullet">
/// <item><description><c>стем</c>, <c>стем стем</c>: a stem or a pair of adjacent stems of the text (value 1);</description></item>
/// <item><description><c>@w:target|term</c>: a lexicon term the rules matched, with its target (value 1);</description></item>
/// <item><description><c>@t:topic</c>, <c>@s:topic/subtopic</c>: the rules' summed term weight for a topic or subtopic, as
/// <c>ln(1 + weight)</c>;</description></item>
/// <item><description><c>@r:topic</c> (value 1) and <c>@c:topic</c> (value = the rules' confidence): the topic the rules
/// decided; <c>@r:~abstain</c>, <c>@r:~out-of-scope</c>, <c>@r:~urgent</c>: the rules abstained, found the text out of scope,
/// or urgent.</description></item>
/// </list>
/// <para>A feature may be visited more than once (a stem repeated in the text); the model counts it once.</para>
/// </remarks>
internal static class StackedFeatures
{
    /// <summary>The longest feature name composed for a lexicon term; longer terms give no term feature.</summary>
    internal const int MaxNameLength = 256;

    /// <summary>The most distinct topics and subtopics whose scores are summed for one text.</summary>
    internal const int MaxTargets = 32;

    /// <summary>Calls <paramref name="visitor"/> for every feature of a text and of the rules' decision about it.</summary>
    /// <typeparam name="TVisitor">The visitor type.</typeparam>
    /// <param name="text">The text (already cut to the model's length).</param>
    /// <param name="rules">The rules' classification of the same text.</param>
    /// <param name="useBigrams">Whether pairs of adjacent stems are features.</param>
    /// <param name="visitor">The visitor.</param>
    public static void Extract<TVisitor>(ReadOnlySpan<char> text, AppealClassification rules, bool useBigrams, ref TVisitor visitor)
        where TVisitor : struct, IStackedFeatureVisitor
    {
        var adapter = new TextAdapter<TVisitor>(ref visitor);
        FeatureExtractor.Extract(text, useBigrams, ref adapter);
        ExtractRules(rules, ref visitor);
    }

    /// <summary>Returns the features as (name, value) pairs, in the order they are visited, with repetitions.</summary>
    /// <param name="text">The text.</param>
    /// <param name="rules">The rules' classification of the text.</param>
    /// <param name="useBigrams">Whether pairs of adjacent stems are features.</param>
    /// <returns>The features.</returns>
    public static List<KeyValuePair<string, float>> ToList(string text, AppealClassification rules, bool useBigrams)
    {
        var collector = new ListCollector(new List<KeyValuePair<string, float>>());
        Extract(text.AsSpan(), rules, useBigrams, ref collector);
        return collector.Features;
    }

    /// <summary>Calls <paramref name="visitor"/> for every feature of the rules' decision (the part of <see cref="Extract"/> after the text's stems).</summary>
    /// <typeparam name="TVisitor">The visitor type.</typeparam>
    /// <param name="rules">The rules' classification.</param>
    /// <param name="visitor">The visitor.</param>
    public static void ExtractRules<TVisitor>(AppealClassification rules, ref TVisitor visitor)
        where TVisitor : struct, IStackedFeatureVisitor
    {
        Span<char> name = stackalloc char[MaxNameLength];
        var terms = rules.Terms;
        Span<double> scores = stackalloc double[MaxTargets];
        var targets = default(TargetList);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (Compose(name, "@w:", term.Target, "|", term.Term) is var length and > 0)
            {
                visitor.Visit(name[..length], 1);
            }

            if (!IsTopicTarget(term.Target))
            {
                continue;
            }

            var target = term.Target;
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            targets.Add(scores, slash < 0 ? target : target[..slash], term.Weight);
            if (slash >= 0)
            {
                targets.Add(scores, target, term.Weight);
            }
        }

        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var prefix = target.Contains('/', StringComparison.Ordinal) ? "@s:" : "@t:";
            var length = Compose(name, prefix, target, string.Empty, string.Empty);
            if (length > 0 && scores[i] > 0)
            {
                visitor.Visit(name[..length], (float)Math.Log(1 + scores[i]));
            }
        }

        if (ClassifierEvaluation.IsAbstention(rules))
        {
            visitor.Visit("@r:~abstain", 1);
        }
        else if (rules.IsOutOfScope)
        {
            visitor.Visit("@r:~out-of-scope", 1);
        }
        else
        {
            var code = rules.Topic.Value;
            if (Compose(name, "@r:", code, string.Empty, string.Empty) is var decided and > 0)
            {
                visitor.Visit(name[..decided], 1);
            }

            if (Compose(name, "@c:", code, string.Empty, string.Empty) is var confidence and > 0)
            {
                visitor.Visit(name[..confidence], (float)rules.Confidence);
            }
        }

        if (rules.IsUrgent)
        {
            visitor.Visit("@r:~urgent", 1);
        }
    }

    /// <summary>Tells whether a term's target is a topic or a subtopic rather than a cue.</summary>
    /// <param name="target">The target.</param>
    /// <returns><see langword="true"/> for <c>roads</c> or <c>roads/potholes</c>.</returns>
    internal static bool IsTopicTarget(string target) => target switch
    {
        LexiconTargets.Urgent or LexiconTargets.OutOfScope or LexiconTargets.Negation or LexiconTargets.Gratitude
            or LexiconTargets.Complaint or LexiconTargets.Location or LexiconTargets.Focus => false,
        _ => target.Length > 0,
    };

    private static int Compose(Span<char> buffer, string prefix, ReadOnlySpan<char> a, string separator, string b)
    {
        var length = prefix.Length + a.Length + separator.Length + b.Length;
        if (length > buffer.Length)
        {
            return 0;
        }

        prefix.CopyTo(buffer);
        a.CopyTo(buffer[prefix.Length..]);
        separator.CopyTo(buffer[(prefix.Length + a.Length)..]);
        b.CopyTo(buffer[(prefix.Length + a.Length + separator.Length)..]);
        return length;
    }

    /// <summary>The distinct topic and subtopic targets of one text, with their summed weights kept beside them.</summary>
    private struct TargetList
    {
        private TargetBuffer _buffer;

        public int Count { get; private set; }

        public readonly string this[int index] => _buffer[index]!;

        public void Add(scoped Span<double> scores, string target, double weight)
        {
            for (var i = 0; i < Count; i++)
            {
                if (string.Equals(_buffer[i], target, StringComparison.Ordinal))
                {
                    scores[i] += weight;
                    return;
                }
            }

            if (Count < TargetBuffer.Length)
            {
                _buffer[Count] = target;
                scores[Count] = weight;
                Count++;
            }
        }
    }

    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct TargetBuffer
    {
        public const int Length = MaxTargets;

        private string? _element;
    }

    /// <summary>Feeds the text's stems to a stacked visitor with the value 1.</summary>
    private ref struct TextAdapter<TVisitor>(ref TVisitor inner) : IFeatureVisitor
        where TVisitor : struct, IStackedFeatureVisitor
    {
        private ref TVisitor _inner = ref inner;

        public readonly void Visit(scoped ReadOnlySpan<char> feature) => _inner.Visit(feature, 1);
    }

    private readonly struct ListCollector(List<KeyValuePair<string, float>> features) : IStackedFeatureVisitor
    {
        public List<KeyValuePair<string, float>> Features { get; } = features;

        public void Visit(scoped ReadOnlySpan<char> name, float value) => Features.Add(new(name.ToString(), value));
    }
}
