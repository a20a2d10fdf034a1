using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mcu.Sdk.Classification;

/// <summary>
/// A logistic regression model stacked on the lexicon's rules: it learns, from labelled appeals, how far to trust each rule
/// term and the rules' decision, and what the text's stems say where the lexicon is silent. It predicts the topic and
/// subtopic (a softmax over the subtopics seen in training), and, when trained on appeals labelled with them, the
/// probability that an appeal is urgent and that it is out of scope.
/// </summary>
/// <remarks>
/// <para><b>Features.</b> The stems and adjacent stem pairs of the text, the lexicon terms the rules matched, the rules'
/// summed weight per topic and subtopic, and the rules' decision with its confidence. The rules are run by the
/// <see cref="StackedClassifier"/> that holds the model (or by <see cref="Train(IEnumerable{LabeledAppeal}, LexiconClassifier, LogisticModelOptions?)"/>),
/// so a term a city adds to its lexicon reaches the model through the rules' scores and decision.</para>
/// <para><b>Training.</b> Multinomial logistic regression for the topic and subtopic, and two binary ones for urgency and
/// scope, trained by AdaGrad with an L2 penalty over a fixed number of epochs in a shuffled order from a fixed seed: the
/// same examples and options give the same model. Weights below <see cref="LogisticModelOptions.PruneBelow"/> are dropped.</para>
/// <para><b>Transparency.</b> Every weight belongs to a readable feature (a stem, a stem pair, a lexicon term or a rule
/// score); the classifier lists the features that weighed most for its decision.</para>
/// <para><b>Default.</b> <see cref="Default"/> is the model shipped with the SDK, trained on the project's own labelled
/// appeals with the default lexicon (see <c>docs/classifier.md</c>). A model is immutable and safe for concurrent use.</para>
/// </remarks>
public sealed partial class LogisticModel
{
    /// <summary>The longest text (in characters) the model reads; the rest of a longer text is ignored.</summary>
    public const int MaxTextLength = 4000;

    private const string DefaultResource = "Mcu.Sdk.Classification.Stacked.Data.default-model.bin";

    private static readonly Lazy<LogisticModel> DefaultModel = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    // Word forms already read → their stem's feature id (-1: not a feature); bounded, shared by all threads.
    private const int MaxCachedWords = 200_000;

    private readonly LogisticModelOptions _options;
    private readonly string[] _features;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly TopicCode[] _classTopics;
    private readonly string?[] _classSubtopics;
    private readonly int[] _classTopicIndex;
    private readonly TopicCode[] _topics;

    // "model:<topic>", the target the classifier gives the model's features in its matched terms, by topic index.
    private readonly string[] _contributionTargets;
    private readonly float[] _classBias;

    // The class weights, a row of one weight per class for each feature (pruned weights are 0; the file keeps the others).
    private readonly float[] _weights;
    private readonly float[]? _urgentWeights;
    private readonly float _urgentBias;
    private readonly float[]? _scopeWeights;
    private readonly float _scopeBias;
    private readonly bool _useBigrams;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _wordCacheDictionary = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordCache;
    private int _wordCacheCount;

    private LogisticModel(
        LogisticModelOptions options,
        int exampleCount,
        int flaggedExampleCount,
        string[] features,
        TopicCode[] classTopics,
        string?[] classSubtopics,
        float[] classBias,
        float[] weights,
        float[]? urgentWeights,
        float urgentBias,
        float[]? scopeWeights,
        float scopeBias)
    {
        _options = options;
        ExampleCount = exampleCount;
        FlaggedExampleCount = flaggedExampleCount;
        _features = features;
        _classTopics = classTopics;
        _classSubtopics = classSubtopics;
        _classBias = classBias;
        _weights = weights;
        _urgentWeights = urgentWeights;
        _urgentBias = urgentBias;
        _scopeWeights = scopeWeights;
        _scopeBias = scopeBias;
        _useBigrams = options.UseBigrams;

        var index = new Dictionary<string, int>(features.Length, StringComparer.Ordinal);
        for (var f = 0; f < features.Length; f++)
        {
            index.Add(features[f], f);
        }

        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        _wordCache = _wordCacheDictionary.GetAlternateLookup<ReadOnlySpan<char>>();
        var topics = new List<TopicCode>();
        _classTopicIndex = new int[classTopics.Length];
        for (var c = 0; c < classTopics.Length; c++)
        {
            var t = topics.IndexOf(classTopics[c]);
            if (t < 0)
            {
                t = topics.Count;
                topics.Add(classTopics[c]);
            }

            _classTopicIndex[c] = t;
        }

        _topics = [.. topics];
        _contributionTargets = [.. topics.Select(static t => "model:" + t.Value)];
        Topics = Array.AsReadOnly(_topics);
    }

    /// <summary>Gets the model shipped with the SDK, trained on the project's labelled appeals with the default lexicon.</summary>
    /// <remarks>Loaded from the assembly's resources on first use.</remarks>
    public static LogisticModel Default => DefaultModel.Value;

    /// <summary>Gets a copy of the options the model was trained with.</summary>
    public LogisticModelOptions Options => _options.Clone();

    /// <summary>Gets a value indicating whether pairs of adjacent stems are features.</summary>
    internal bool UsesBigrams => _useBigrams;

    /// <summary>Gets the number of training examples.</summary>
    public int ExampleCount { get; }

    /// <summary>Gets the number of training examples that carried the urgency and scope labels.</summary>
    public int FlaggedExampleCount { get; }

    /// <summary>Gets the number of features with at least one weight.</summary>
    public int FeatureCount => _features.Length;

    /// <summary>Gets the topics the model knows, in the order of their first class.</summary>
    public IReadOnlyList<TopicCode> Topics { get; }

    /// <summary>Gets a value indicating whether the model predicts urgency (it was trained on appeals labelled with it).</summary>
    public bool PredictsUrgency => _urgentWeights is not null;

    /// <summary>Gets a value indicating whether the model predicts scope (it was trained on appeals labelled with it).</summary>
    public bool PredictsScope => _scopeWeights is not null;

    /// <summary>Tells whether the model knows a topic.</summary>
    /// <param name="topic">The topic.</param>
    /// <returns><see langword="true"/> when the topic occurred in the training examples.</returns>
    public bool Knows(TopicCode topic) => Array.IndexOf(_topics, topic) >= 0;

    /// <summary>Runs the model on a text and the rules' classification of it.</summary>
    /// <param name="text">The text; only the first <see cref="MaxTextLength"/> characters are read.</param>
    /// <param name="rules">The rules' classification of the same text.</param>
    /// <param name="maxContributions">How many of the features that weighed most for the best class to return.</param>
    /// <returns>The prediction.</returns>
    internal LogisticPrediction Predict(ReadOnlySpan<char> text, AppealClassification rules, int maxContributions)
    {
        var collector = new FeatureIdCollector(this);
        try
        {
            var wordFeatures = Collect(text, rules, ref collector);
            return Predict(collector.Ids, collector.Values, maxContributions, wordFeatures);
        }
        finally
        {
            collector.Dispose();
        }
    }

    /// <summary>Returns the ids and values of a text's features as prediction reads them (for tests: they must equal training's).</summary>
    /// <param name="text">The text.</param>
    /// <param name="rules">The rules' classification of the text.</param>
    /// <returns>The features, by ascending id, each once.</returns>
    internal (int Id, float Value)[] ReadFeatures(string text, AppealClassification rules)
    {
        var collector = new FeatureIdCollector(this);
        try
        {
            Collect(text.AsSpan(), rules, ref collector);
            return collector.ToSortedArray();
        }
        finally
        {
            collector.Dispose();
        }
    }

    /// <summary>Returns the id of a feature, or -1 when the model does not have it (for tests).</summary>
    /// <param name="name">The feature's name.</param>
    /// <returns>The id.</returns>
    internal int FeatureId(string name) => FeatureId(name.AsSpan());

    /// <summary>Returns the id of a feature, or -1 when the model does not have it.</summary>
    /// <param name="name">The feature's name.</param>
    /// <returns>The id.</returns>
    internal int FeatureId(scoped ReadOnlySpan<char> name) => _lookup.TryGetValue(name, out var id) ? id : -1;

    /// <summary>Runs the model on features already read.</summary>
    /// <param name="ids">The features' ids, each once, in the order they were read.</param>
    /// <param name="values">The features' values.</param>
    /// <param name="maxContributions">How many of the features that weighed most for the best class to return.</param>
    /// <param name="knownWordCount">How many of the text's own words (with repetitions) the model knows.</param>
    /// <returns>The prediction.</returns>
    [SkipLocalsInit] // Every stack buffer is written before it is read.
    internal LogisticPrediction Predict(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int maxContributions, int knownWordCount)
    {
        var classCount = _classTopics.Length;
        Span<float> scores = classCount <= 512 ? stackalloc float[classCount] : new float[classCount];
        _classBias.CopyTo(scores);
        double urgent = _urgentBias;
        double scope = _scopeBias;
        var dense = _weights.AsSpan();
        for (var i = 0; i < ids.Length; i++)
        {
            var f = ids[i];
            var v = values[i];
            AddScaled(scores, dense.Slice(f * classCount, classCount), v);
            if (_urgentWeights is not null)
            {
                urgent += v * _urgentWeights[f];
            }

            if (_scopeWeights is not null)
            {
                scope += v * _scopeWeights[f];
            }
        }

        Softmax(scores);
        var topicCount = _topics.Length;
        Span<double> topicProbabilities = topicCount <= 256 ? stackalloc double[topicCount] : new double[topicCount];
        topicProbabilities.Clear();
        for (var c = 0; c < classCount; c++)
        {
            topicProbabilities[_classTopicIndex[c]] += scores[c];
        }

        int best = 0, second = -1;
        for (var t = 1; t < topicCount; t++)
        {
            if (topicProbabilities[t] > topicProbabilities[best])
            {
                second = best;
                best = t;
            }
            else if (second < 0 || topicProbabilities[t] > topicProbabilities[second])
            {
                second = t;
            }
        }

        var bestClass = -1;
        for (var c = 0; c < classCount; c++)
        {
            if (_classTopicIndex[c] == best && (bestClass < 0 || scores[c] > scores[bestClass]))
            {
                bestClass = c;
            }
        }

        // Single-precision sums may stray past 1 by a rounding error.
        TopicProbability[] topics = second < 0
            ? [new(_topics[best], Math.Min(1, topicProbabilities[best]))]
            : [new(_topics[best], Math.Min(1, topicProbabilities[best])), new(_topics[second], Math.Min(1, topicProbabilities[second]))];
        return new LogisticPrediction(
            topics,
            _classSubtopics[bestClass],
            _urgentWeights is null ? null : Sigmoid(urgent),
            _scopeWeights is null ? null : Sigmoid(scope),
            ids.Length,
            Contributions(ids, values, bestClass, maxContributions))
        {
            KnownWordCount = knownWordCount,
            ContributionTarget = _contributionTargets[best],
        };
    }

    // Collects the known features of a text (its first MaxTextLength characters, as training reads it) and of the rules'
    // result, each once; returns how many of the text's own words (with repetitions) the model knows.
    private int Collect(ReadOnlySpan<char> text, AppealClassification rules, ref FeatureIdCollector collector)
    {
        if (text.Length > MaxTextLength)
        {
            text = text[..MaxTextLength];
        }

        if (_useBigrams)
        {
            var adapter = new WordCounter(ref collector);
            FeatureExtractor.Extract(text, useBigrams: true, ref adapter);
        }
        else
        {
            ExtractWords(text, ref collector);
        }

        var wordFeatures = collector.Ids.Length;
        StackedFeatures.ExtractRules(rules, ref collector);
        return wordFeatures;
    }

    // The text's stems, through a cache of word forms: most words repeat from text to text, and a cached form skips the
    // stemmer and the stem lookup. Reads exactly what FeatureExtractor reads (words only, stemmed), so training and prediction agree.
    private void ExtractWords(ReadOnlySpan<char> text, ref FeatureIdCollector collector)
    {
        char[]? rented = null;
        var buffer = text.Length <= FeatureExtractor.StackTextLength
            ? stackalloc char[FeatureExtractor.StackTextLength]
            : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var tokenizer = new Text.TextTokenizer(text, buffer);
            while (tokenizer.MoveNext())
            {
                if (tokenizer.CurrentKind != Text.TokenKind.Word)
                {
                    continue;
                }

                var token = buffer.Slice(tokenizer.CurrentStart, tokenizer.Current.Length);
                if (_wordCache.TryGetValue(token, out var cached))
                {
                    if (cached >= 0)
                    {
                        collector.Add(cached, 1);
                    }

                    continue;
                }

                var word = token.ToString();
                var stem = token[..Text.RussianStemmer.Stem(token, token)];
                var id = !stem.IsEmpty && _lookup.TryGetValue(stem, out var found) ? found : -1;
                if (_wordCacheCount < MaxCachedWords && _wordCacheDictionary.TryAdd(word, id))
                {
                    Interlocked.Increment(ref _wordCacheCount);
                }

                if (id >= 0)
                {
                    collector.Add(id, 1);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static void AddScaled(Span<float> scores, ReadOnlySpan<float> row, float value)
    {
        var length = scores.Length;
        ref var target = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scores);
        ref var source = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
        nuint i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && length >= 8)
        {
            var scale = System.Runtime.Intrinsics.Vector256.Create(value);
            for (; i + 8 <= (nuint)length; i += 8)
            {
                var sum = System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref target, i)
                    + (System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref source, i) * scale);
                System.Runtime.Intrinsics.Vector256.StoreUnsafe(sum, ref target, i);
            }
        }

        for (; i < (nuint)length; i++)
        {
            Unsafe.Add(ref target, i) += value * Unsafe.Add(ref source, i);
        }
    }

    // The features that weighed most for one class: a small top-k kept in order by insertion.
    [SkipLocalsInit] // Every stack buffer is written before it is read.
    private FeatureContribution[] Contributions(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int bestClass, int max)
    {
        max = Math.Min(max, ids.Length);
        if (max <= 0)
        {
            return [];
        }

        var classCount = _classTopics.Length;
        Span<int> topIds = stackalloc int[max];
        Span<float> topWeights = stackalloc float[max];
        var count = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            var weight = values[i] * _weights[(ids[i] * classCount) + bestClass];
            if (weight <= 0 || (count == max && weight <= topWeights[count - 1]))
            {
                continue;
            }

            var at = count < max ? count++ : max - 1;
            while (at > 0 && topWeights[at - 1] < weight)
            {
                topWeights[at] = topWeights[at - 1];
                topIds[at] = topIds[at - 1];
                at--;
            }

            topWeights[at] = weight;
            topIds[at] = ids[i];
        }

        var result = new FeatureContribution[count];
        for (var k = 0; k < count; k++)
        {
            result[k] = new FeatureContribution(_features[topIds[k]], Math.Round(topWeights[k], 4));
        }

        return result;
    }

    private static void Softmax(Span<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Exp(scores[i] - max);
            sum += scores[i];
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= sum;
        }
    }

    private static void Softmax(Span<float> scores)
    {
        var max = float.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        // A class 20 below the best has a probability under 2e-9 of the best's: it is 0 at single precision's resolution of the sum.
        var length = scores.Length;
        ref var first = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scores);
        var sum = 0.0f;
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            var top = Vector256.Create(max);
            var floor = Vector256.Create(-20f);
            var sums = Vector256<float>.Zero;
            for (; i + (nuint)Vector256<float>.Count <= (nuint)length; i += (nuint)Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref first, i) - top;
                var e = Vector256.ConditionalSelect(Vector256.LessThan(d, floor), Vector256<float>.Zero, Vector256.Exp(d));
                e.StoreUnsafe(ref first, i);
                sums += e;
            }

            sum = Vector256.Sum(sums);
        }

        for (; i < (nuint)length; i++)
        {
            var d = Unsafe.Add(ref first, i) - max;
            var e = d < -20 ? 0 : MathF.Exp(d);
            Unsafe.Add(ref first, i) = e;
            sum += e;
        }

        var scale = 1 / sum;
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] *= scale;
        }
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static LogisticModel LoadDefault()
    {
        using var stream = typeof(LogisticModel).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The default model resource '{DefaultResource}' is missing from {typeof(LogisticModel).Assembly.GetName().Name}.");
        return Load(stream);
    }

    /// <summary>Feeds the stems and stem pairs of <see cref="FeatureExtractor"/> to a <see cref="FeatureIdCollector"/>.</summary>
    private ref struct WordCounter(ref FeatureIdCollector collector) : IFeatureVisitor
    {
        private ref FeatureIdCollector _collector = ref collector;

        public readonly void Visit(scoped ReadOnlySpan<char> feature) => _collector.Visit(feature, 1);
    }
}

/// <summary>What a <see cref="LogisticModel"/> predicted for one text.</summary>
/// <param name="Topics">The most probable topic and, when the model knows more than one, the next one.</param>
/// <param name="Subtopic">The most probable subtopic of the best topic, or <see langword="null"/>.</param>
/// <param name="UrgentProbability">The probability that the appeal is urgent, or <see langword="null"/> when the model does not predict urgency.</param>
/// <param name="OutOfScopeProbability">The probability that the appeal is out of scope, or <see langword="null"/> when the model does not predict scope.</param>
/// <param name="KnownFeatureCount">How many of the text's features the model knows.</param>
/// <param name="Contributions">The features that weighed most for the best class, heaviest first.</param>
internal sealed record LogisticPrediction(
    IReadOnlyList<TopicProbability> Topics,
    string? Subtopic,
    double? UrgentProbability,
    double? OutOfScopeProbability,
    int KnownFeatureCount,
    IReadOnlyList<FeatureContribution> Contributions)
{
    /// <summary>Gets how many of the text's own words (stems and stem pairs, with repetitions) the model knows.</summary>
    public int KnownWordCount { get; init; }

    /// <summary>Gets the target under which the classifier lists the contributions: <c>model:</c> and the best topic.</summary>
    public string ContributionTarget { get; init; } = string.Empty;

    /// <summary>Gets the most probable topic.</summary>
    public TopicCode Topic => Topics[0].Topic;

    /// <summary>Gets the probability of <see cref="Topic"/>.</summary>
    public double Probability => Topics[0].Probability;
}

/// <summary>
/// Collects the ids and values of the known features of one text in pooled buffers, each feature once (a repeated feature
/// always has the same value: the first is kept), in the order they are first seen.
/// </summary>
internal struct FeatureIdCollector : IStackedFeatureVisitor, IDisposable
{
    private const int InitialCapacity = 128;

    private readonly LogisticModel _model;
    private int[] _ids = System.Buffers.ArrayPool<int>.Shared.Rent(InitialCapacity);
    private float[] _values = System.Buffers.ArrayPool<float>.Shared.Rent(InitialCapacity);
    private ulong[] _seen;
    private int _count;

    public FeatureIdCollector(LogisticModel model)
    {
        _model = model;
        var words = (model.FeatureCount + 63) >> 6;
        _seen = System.Buffers.ArrayPool<ulong>.Shared.Rent(words);
        _seen.AsSpan(0, words).Clear();
    }

    public readonly ReadOnlySpan<int> Ids => _ids.AsSpan(0, _count);

    public readonly ReadOnlySpan<float> Values => _values.AsSpan(0, _count);

    public void Visit(scoped ReadOnlySpan<char> name, float value)
    {
        if (_model.FeatureId(name) is var id and >= 0)
        {
            Add(id, value);
        }
    }

    public void Add(int id, float value)
    {
        ref var word = ref _seen[id >> 6];
        var bit = 1UL << (id & 63);
        if ((word & bit) != 0)
        {
            return;
        }

        word |= bit;
        if (_count == _ids.Length)
        {
            Grow();
        }

        _ids[_count] = id;
        _values[_count] = value;
        _count++;
    }

    /// <summary>Returns the features as (id, value) pairs by ascending id (for tests).</summary>
    /// <returns>The pairs.</returns>
    public readonly (int Id, float Value)[] ToSortedArray()
    {
        var result = new (int Id, float Value)[_count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (_ids[i], _values[i]);
        }

        Array.Sort(result, static (a, b) => a.Id.CompareTo(b.Id));
        return result;
    }

    public void Dispose()
    {
        System.Buffers.ArrayPool<int>.Shared.Return(_ids);
        System.Buffers.ArrayPool<float>.Shared.Return(_values);
        System.Buffers.ArrayPool<ulong>.Shared.Return(_seen);
        _ids = [];
        _values = [];
        _seen = [];
    }

    private void Grow()
    {
        var ids = System.Buffers.ArrayPool<int>.Shared.Rent(_ids.Length * 2);
        var values = System.Buffers.ArrayPool<float>.Shared.Rent(_values.Length * 2);
        _ids.AsSpan(0, _count).CopyTo(ids);
        _values.AsSpan(0, _count).CopyTo(values);
        System.Buffers.ArrayPool<int>.Shared.Return(_ids);
        System.Buffers.ArrayPool<float>.Shared.Return(_values);
        _ids = ids;
        _values = values;
    }
}
