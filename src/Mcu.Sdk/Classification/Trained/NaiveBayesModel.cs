using System.Buffers;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// A multinomial Naive Bayes model of appeal topics and subtopics, trained on a city's own history of labelled appeals.
/// </summary>
/// <remarks>
/// <para><b>Features.</b> The stems of a text's words (<see cref="Text.TextTokenizer"/>, <see cref="Text.RussianStemmer"/>)
/// and, with <see cref="NaiveBayesOptions.UseBigrams"/>, the pairs of adjacent stems within a clause. Numbers are skipped.
/// With <see cref="NaiveBayesOptions.BinaryFeatures"/> a feature counts once per text.</para>
/// <para><b>Topics.</b> The score of a topic is the log prior plus, for every known feature of the text, the log of its
/// Lidstone-smoothed probability under the topic, <c>(count + α) / (total + α·V)</c>, where <c>V</c> is the number of
/// features the model uses. Features the model has never seen are ignored. The scores divided by
/// <see cref="NaiveBayesOptions.Temperature"/> go through a softmax to give the probabilities.</para>
/// <para><b>Subtopics.</b> One model per topic: the subtopic is chosen among the best topic's subtopics only, by the same
/// formula over the training examples of that topic that have a subtopic. Per-topic models cannot pick a subtopic of
/// another topic, and each topic's subtopics compete on that topic's vocabulary alone.</para>
/// <para><b>Lifetime.</b> A model is immutable and safe for concurrent use. It keeps the raw counts, so
/// <see cref="WithExamples"/> adds examples exactly as training on both sets would, and <see cref="Save"/> writes a
/// versioned file that <see cref="Load"/> reads back into a model that predicts identically.</para>
/// </remarks>
public sealed partial class NaiveBayesModel
{
    /// <summary>The largest number of feature contributions <see cref="Predict(ReadOnlySpan{char}, int)"/> returns.</summary>
    public const int MaxContributions = 100;

    private const int DefaultContributions = 5;

    // The raw model, as saved: options, classes with their example counts, and per feature the sparse counts per class.
    private readonly NaiveBayesOptions _options;
    private readonly TopicCode[] _topics;
    private readonly int[] _topicExamples;
    private readonly int[] _subtopicTopics;
    private readonly string[] _subtopicCodes;
    private readonly int[] _subtopicExamples;
    private readonly string[] _features;
    private readonly int[] _topicOffsets;
    private readonly int[] _topicEntryClass;
    private readonly int[] _topicEntryCount;
    private readonly int[] _subtopicOffsets;
    private readonly int[] _subtopicEntryClass;
    private readonly int[] _subtopicEntryCount;

    // Derived when the model is built or loaded.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly double[] _topicPrior;
    private readonly double[] _topicUnseen;
    private readonly double[] _topicEntryDelta;
    private readonly double[] _featureMeanDelta;
    private readonly double _meanTopicUnseen;
    private readonly double[] _subtopicPrior;
    private readonly double[] _subtopicUnseen;
    private readonly double[] _subtopicEntryDelta;
    private readonly int[][] _subtopicsOfTopic;
    private readonly int _activeFeatureCount;

    private NaiveBayesModel(
        NaiveBayesOptions options,
        int exampleCount,
        TopicCode[] topics,
        int[] topicExamples,
        int[] subtopicTopics,
        string[] subtopicCodes,
        int[] subtopicExamples,
        string[] features,
        int[] topicOffsets,
        int[] topicEntryClass,
        int[] topicEntryCount,
        int[] subtopicOffsets,
        int[] subtopicEntryClass,
        int[] subtopicEntryCount)
    {
        _options = options;
        ExampleCount = exampleCount;
        _topics = topics;
        _topicExamples = topicExamples;
        _subtopicTopics = subtopicTopics;
        _subtopicCodes = subtopicCodes;
        _subtopicExamples = subtopicExamples;
        _features = features;
        _topicOffsets = topicOffsets;
        _topicEntryClass = topicEntryClass;
        _topicEntryCount = topicEntryCount;
        _subtopicOffsets = subtopicOffsets;
        _subtopicEntryClass = subtopicEntryClass;
        _subtopicEntryCount = subtopicEntryCount;
        Topics = Array.AsReadOnly(topics);

        var alpha = options.Smoothing;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var topicTotals = new double[topics.Length];
        var subtopicTotals = new double[subtopicCodes.Length];
        for (var f = 0; f < features.Length; f++)
        {
            long total = 0;
            for (var e = topicOffsets[f]; e < topicOffsets[f + 1]; e++)
            {
                total += topicEntryCount[e];
            }

            if (total < options.MinFeatureCount)
            {
                continue;
            }

            index.Add(features[f], f);
            for (var e = topicOffsets[f]; e < topicOffsets[f + 1]; e++)
            {
                topicTotals[topicEntryClass[e]] += topicEntryCount[e];
            }

            for (var e = subtopicOffsets[f]; e < subtopicOffsets[f + 1]; e++)
            {
                subtopicTotals[subtopicEntryClass[e]] += subtopicEntryCount[e];
            }
        }

        _activeFeatureCount = index.Count;
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        var vocabulary = Math.Max(1, index.Count);

        var allExamples = 0.0;
        foreach (var count in topicExamples)
        {
            allExamples += count;
        }

        _topicPrior = new double[topics.Length];
        _topicUnseen = new double[topics.Length];
        for (var t = 0; t < topics.Length; t++)
        {
            _topicPrior[t] = options.UseClassPriors ? Math.Log(topicExamples[t] / allExamples) : 0;
            _topicUnseen[t] = Math.Log(alpha / (topicTotals[t] + (alpha * vocabulary)));
            _meanTopicUnseen += _topicUnseen[t] / topics.Length;
        }

        _topicEntryDelta = new double[topicEntryCount.Length];
        _featureMeanDelta = new double[features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var sum = 0.0;
            for (var e = topicOffsets[f]; e < topicOffsets[f + 1]; e++)
            {
                _topicEntryDelta[e] = Math.Log((topicEntryCount[e] + alpha) / alpha);
                sum += _topicEntryDelta[e];
            }

            _featureMeanDelta[f] = sum / topics.Length;
        }

        var subtopicLists = new List<int>[topics.Length];
        var topicSubtopicExamples = new double[topics.Length];
        for (var s = 0; s < subtopicCodes.Length; s++)
        {
            (subtopicLists[subtopicTopics[s]] ??= []).Add(s);
            topicSubtopicExamples[subtopicTopics[s]] += subtopicExamples[s];
        }

        _subtopicsOfTopic = new int[topics.Length][];
        for (var t = 0; t < topics.Length; t++)
        {
            _subtopicsOfTopic[t] = subtopicLists[t]?.ToArray() ?? [];
        }

        _subtopicPrior = new double[subtopicCodes.Length];
        _subtopicUnseen = new double[subtopicCodes.Length];
        for (var s = 0; s < subtopicCodes.Length; s++)
        {
            _subtopicPrior[s] = options.UseClassPriors ? Math.Log(subtopicExamples[s] / topicSubtopicExamples[subtopicTopics[s]]) : 0;
            _subtopicUnseen[s] = Math.Log(alpha / (subtopicTotals[s] + (alpha * vocabulary)));
        }

        _subtopicEntryDelta = new double[subtopicEntryCount.Length];
        for (var e = 0; e < subtopicEntryCount.Length; e++)
        {
            _subtopicEntryDelta[e] = Math.Log((subtopicEntryCount[e] + alpha) / alpha);
        }
    }

    /// <summary>Gets the topics the model knows, in its order: the well-known codes in taxonomy order, then the city's own ones.</summary>
    public IReadOnlyList<TopicCode> Topics { get; }

    /// <summary>Gets the number of examples the model was trained on.</summary>
    public int ExampleCount { get; }

    /// <summary>Gets the number of distinct features counted in training, including those below <see cref="NaiveBayesOptions.MinFeatureCount"/>.</summary>
    public int FeatureCount => _features.Length;

    /// <summary>Gets the number of features used for prediction: those that occurred at least <see cref="NaiveBayesOptions.MinFeatureCount"/> times.</summary>
    public int ActiveFeatureCount => _activeFeatureCount;

    /// <summary>Gets a copy of the options the model was trained with.</summary>
    public NaiveBayesOptions Options => _options.Clone();

    /// <summary>Trains a model on labelled examples.</summary>
    /// <param name="examples">The examples, such as a city's past appeals with the topics its operators chose.</param>
    /// <param name="options">The options; or <see langword="null"/> for the defaults.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="examples"/> is empty or holds a <see langword="null"/> example or text, or an option is out of its range.
    /// </exception>
    public static NaiveBayesModel Train(IEnumerable<LabeledText> examples, NaiveBayesOptions? options = null)
    {
        Throw.IfNull(examples);
        options = (options ?? new NaiveBayesOptions()).Clone();
        options.Validate(nameof(options));
        var builder = new Builder(options);
        builder.AddExamples(examples, nameof(examples));
        if (builder.ExampleCount == 0)
        {
            throw new ArgumentException("A model needs at least one example to learn from.", nameof(examples));
        }

        return builder.Build();
    }

    /// <summary>
    /// Turns the topic terms of a lexicon into training examples, one per term: its text (without the <c>word:</c> markers),
    /// its topic and its subtopic. Adding them to a city's history seeds the model with the lexicon's vocabulary, which
    /// matters most for the topics the history has few examples of.
    /// </summary>
    /// <param name="lexicon">The lexicon, such as <see cref="Lexicon.Default"/>.</param>
    /// <returns>The examples, in the lexicon's order; terms with a weight of zero or below and the urgency, scope and cue terms are left out.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lexicon"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// On the SDK's development set (5-fold cross-validation), adding the default lexicon's terms to the history raised the
    /// model's own topic accuracy by more than ten points, and the <see cref="EnsembleClassifier"/>'s by up to about two.
    /// </remarks>
    public static IReadOnlyList<LabeledText> ExamplesFromLexicon(Lexicon lexicon)
    {
        Throw.IfNull(lexicon);
        var examples = new List<LabeledText>();
        foreach (var term in lexicon.Terms)
        {
            if (term.Weight <= 0 || LexiconTargets.IsSpecial(term.Target))
            {
                continue;
            }

            var slash = term.Target.IndexOf('/', StringComparison.Ordinal);
            var topic = new TopicCode(slash < 0 ? term.Target : term.Target[..slash]);
            var subtopic = slash < 0 ? null : term.Target[(slash + 1)..];
            var text = term.Text.Replace(LexiconTermParser.WordPrefix, " ", StringComparison.OrdinalIgnoreCase).Trim();
            if (text.Length > 0)
            {
                examples.Add(new LabeledText(text, topic, subtopic));
            }
        }

        return examples.AsReadOnly();
    }

    /// <summary>
    /// Returns a new model trained on this model's examples and more, with the same options: the result is the same as
    /// training on both sets at once. This model does not change.
    /// </summary>
    /// <param name="examples">The additional examples, such as the appeals labelled since the model was trained.</param>
    /// <returns>The new model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> holds a <see langword="null"/> example or text.</exception>
    public NaiveBayesModel WithExamples(IEnumerable<LabeledText> examples)
    {
        Throw.IfNull(examples);
        var builder = new Builder(_options);
        builder.AddModel(this);
        builder.AddExamples(examples, nameof(examples));
        return builder.Build();
    }

    /// <summary>Predicts the topic and subtopic of a text.</summary>
    /// <param name="text">The text, any length.</param>
    /// <returns>The prediction, with the five features that speak most for the best topic.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public NaiveBayesPrediction Predict(string text)
    {
        Throw.IfNull(text);
        return Predict(text.AsSpan(), DefaultContributions);
    }

    /// <summary>Predicts the topic and subtopic of a text.</summary>
    /// <param name="text">The text, any length.</param>
    /// <param name="maxContributions">How many of the features that speak most for the best topic to return, from 0 to <see cref="MaxContributions"/>.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxContributions"/> is out of its range.</exception>
    public NaiveBayesPrediction Predict(ReadOnlySpan<char> text, int maxContributions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxContributions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxContributions, MaxContributions);

        // A text has fewer words than characters and at most one bigram per word.
        var capacity = (2 * text.Length) + 1;
        var ids = ArrayPool<int>.Shared.Rent(capacity);
        try
        {
            var collector = new IdCollector(_lookup, ids);
            FeatureExtractor.Extract(text, _options.UseBigrams, ref collector);
            var known = ids.AsSpan(0, collector.Count);
            known.Sort();
            return Score(known, collector.Total, maxContributions);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    private static void Softmax(Span<double> scores, double temperature)
    {
        var max = double.NegativeInfinity;
        foreach (var score in scores)
        {
            max = Math.Max(max, score);
        }

        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Exp((scores[i] - max) / temperature);
            sum += scores[i];
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= sum;
        }
    }

    // Counts a run of equal feature ids once or as often as it occurs.
    private int RunLength(ReadOnlySpan<int> ids, int start, out int count)
    {
        var end = start + 1;
        while (end < ids.Length && ids[end] == ids[start])
        {
            end++;
        }

        count = _options.BinaryFeatures ? 1 : end - start;
        return end;
    }

    private NaiveBayesPrediction Score(ReadOnlySpan<int> ids, int featureCount, int maxContributions)
    {
        var topicCount = _topics.Length;
        var scores = topicCount <= 256 ? stackalloc double[topicCount] : new double[topicCount];
        var counted = 0;
        for (var i = 0; i < ids.Length;)
        {
            var f = ids[i];
            i = RunLength(ids, i, out var n);
            counted += n;
            for (var e = _topicOffsets[f]; e < _topicOffsets[f + 1]; e++)
            {
                scores[_topicEntryClass[e]] += n * _topicEntryDelta[e];
            }
        }

        for (var t = 0; t < topicCount; t++)
        {
            scores[t] += _topicPrior[t] + (counted * _topicUnseen[t]);
        }

        Softmax(scores, _options.Temperature);
        var order = new TopicProbability[topicCount];
        for (var t = 0; t < topicCount; t++)
        {
            order[t] = new TopicProbability(_topics[t], scores[t]);
        }

        // An insertion sort is stable: equal probabilities keep the model's topic order.
        var best = 0;
        for (var t = 1; t < topicCount; t++)
        {
            var item = order[t];
            var j = t;
            while (j > 0 && order[j - 1].Probability < item.Probability)
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = item;
            if (scores[t] > scores[best])
            {
                best = t;
            }
        }

        var subtopic = PredictSubtopic(ids, counted, best, out var subtopicProbability);
        var contributions = Explain(ids, best, maxContributions);
        return new NaiveBayesPrediction(order, subtopic, subtopicProbability, featureCount, ids.Length, contributions);
    }

    private string? PredictSubtopic(ReadOnlySpan<int> ids, int counted, int topic, out double probability)
    {
        var candidates = _subtopicsOfTopic[topic];
        probability = 0;
        if (candidates.Length == 0)
        {
            return null;
        }

        // Subtopic classes of one topic are numbered consecutively.
        var first = candidates[0];
        var scores = candidates.Length <= 256 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        for (var i = 0; i < ids.Length;)
        {
            var f = ids[i];
            i = RunLength(ids, i, out var n);
            for (var e = _subtopicOffsets[f]; e < _subtopicOffsets[f + 1]; e++)
            {
                var local = _subtopicEntryClass[e] - first;
                if ((uint)local < (uint)candidates.Length)
                {
                    scores[local] += n * _subtopicEntryDelta[e];
                }
            }
        }

        for (var k = 0; k < candidates.Length; k++)
        {
            scores[k] += _subtopicPrior[first + k] + (counted * _subtopicUnseen[first + k]);
        }

        Softmax(scores, _options.Temperature);
        var bestLocal = 0;
        for (var k = 1; k < candidates.Length; k++)
        {
            if (scores[k] > scores[bestLocal])
            {
                bestLocal = k;
            }
        }

        probability = scores[bestLocal];
        return _subtopicCodes[first + bestLocal];
    }

    // A feature's contribution to a topic: its log probability under the topic minus its mean log probability over all
    // topics, times its count. Only positive contributions explain a choice.
    private FeatureContribution[] Explain(ReadOnlySpan<int> ids, int topic, int maxContributions)
    {
        if (maxContributions == 0 || ids.IsEmpty)
        {
            return [];
        }

        var best = new List<FeatureContribution>(maxContributions + 1);
        for (var i = 0; i < ids.Length;)
        {
            var f = ids[i];
            i = RunLength(ids, i, out var n);
            var delta = 0.0;
            for (var e = _topicOffsets[f]; e < _topicOffsets[f + 1]; e++)
            {
                if (_topicEntryClass[e] == topic)
                {
                    delta = _topicEntryDelta[e];
                    break;
                }
            }

            var weight = n * (_topicUnseen[topic] + delta - _meanTopicUnseen - _featureMeanDelta[f]);
            if (weight <= 0 || (best.Count == maxContributions && weight <= best[^1].Weight))
            {
                continue;
            }

            var position = best.Count;
            while (position > 0 && best[position - 1].Weight < weight)
            {
                position--;
            }

            best.Insert(position, new FeatureContribution(_features[f], Math.Round(weight, 4)));
            if (best.Count > maxContributions)
            {
                best.RemoveAt(best.Count - 1);
            }
        }

        return [.. best];
    }

    /// <summary>Looks up each feature of a text and keeps the ids of the known ones.</summary>
    private ref struct IdCollector(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, int[] ids) : IFeatureVisitor
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup = lookup;
        private readonly int[] _ids = ids;

        public int Count { get; private set; }

        public int Total { get; private set; }

        public void Visit(scoped ReadOnlySpan<char> feature)
        {
            Total++;
            if (_lookup.TryGetValue(feature, out var id) && Count < _ids.Length)
            {
                _ids[Count++] = id;
            }
        }
    }
}
