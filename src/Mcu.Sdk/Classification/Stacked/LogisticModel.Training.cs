using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <content>Training.</content>
public sealed partial class LogisticModel
{
    /// <summary>Trains a model on appeals labelled with topic, subtopic, urgency and scope.</summary>
    /// <param name="examples">The labelled appeals; their urgency and scope labels train the model's urgency and scope.</param>
    /// <param name="rules">The rules the model is stacked on; a <see cref="StackedClassifier"/> must use rules with the same lexicon.</param>
    /// <param name="options">The options; or <see langword="null"/> for the defaults.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or <paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no examples, an example is <see langword="null"/>, or an option is out of its range.</exception>
    public static LogisticModel Train(IEnumerable<LabeledAppeal> examples, LexiconClassifier rules, LogisticModelOptions? options = null) =>
        Train(examples, [], rules, options);

    /// <summary>
    /// Trains a model on appeals labelled with topic, subtopic, urgency and scope, and on texts labelled with a topic and
    /// subtopic only (a city's history, which rarely records urgency and scope).
    /// </summary>
    /// <param name="flagged">Appeals whose urgency and scope labels are known; they train every part of the model. When there are none, the model predicts neither urgency nor scope.</param>
    /// <param name="topicOnly">Texts labelled with a topic and subtopic only; they train the topic part.</param>
    /// <param name="rules">The rules the model is stacked on; a <see cref="StackedClassifier"/> must use rules with the same lexicon.</param>
    /// <param name="options">The options; or <see langword="null"/> for the defaults.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no examples, an example is <see langword="null"/>, or an option is out of its range.</exception>
    public static LogisticModel Train(
        IEnumerable<LabeledAppeal> flagged, IEnumerable<LabeledText> topicOnly, LexiconClassifier rules, LogisticModelOptions? options = null)
    {
        Throw.IfNull(flagged);
        Throw.IfNull(topicOnly);
        Throw.IfNull(rules);
        options = options?.Clone() ?? new LogisticModelOptions();
        options.Validate(nameof(options));

        var examples = new List<Example>();
        foreach (var appeal in flagged)
        {
            if (appeal is null)
            {
                throw new ArgumentException("An example is null.", nameof(flagged));
            }

            examples.Add(new Example(appeal.Text, appeal.Topic, appeal.Subtopic, appeal.Urgent, appeal.OutOfScope, Flagged: true));
        }

        var flaggedCount = examples.Count;
        foreach (var text in topicOnly)
        {
            if (text is null)
            {
                throw new ArgumentException("An example is null.", nameof(topicOnly));
            }

            examples.Add(new Example(text.Text, text.Topic, text.Subtopic, false, false, Flagged: false));
        }

        if (examples.Count == 0)
        {
            throw new ArgumentException("There are no training examples.", nameof(flagged));
        }

        return new Trainer(examples, rules, options, flaggedCount).Run();
    }

    private sealed record Example(string Text, TopicCode Topic, string? Subtopic, bool Urgent, bool OutOfScope, bool Flagged);

    /// <summary>One training run: the vocabulary, the encoded examples, the weights and the AdaGrad state.</summary>
    private sealed class Trainer
    {
        private const double Epsilon = 1e-8;

        private readonly List<Example> _examples;
        private readonly LogisticModelOptions _options;
        private readonly int _flaggedCount;
        private readonly string[] _features;
        private readonly int[][] _ids;
        private readonly float[][] _values;
        private readonly int[] _labels;
        private readonly TopicCode[] _classTopics;
        private readonly string?[] _classSubtopics;

        public Trainer(List<Example> examples, LexiconClassifier rules, LogisticModelOptions options, int flaggedCount)
        {
            _examples = examples;
            _options = options;
            _flaggedCount = flaggedCount;

            // The raw features of every example, and in how many examples each occurs.
            var raw = new List<KeyValuePair<string, float>>[examples.Count];
            var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < examples.Count; i++)
            {
                var text = examples[i].Text.Length > MaxTextLength ? examples[i].Text[..MaxTextLength] : examples[i].Text;
                raw[i] = StackedFeatures.ToList(text, rules.Classify(text), options.UseBigrams);
                seen.Clear();
                foreach (var (name, _) in raw[i])
                {
                    if (seen.Add(name))
                    {
                        documentFrequency[name] = documentFrequency.GetValueOrDefault(name) + 1;
                    }
                }
            }

            // Rule features are kept however rare (a city's rare term is still evidence); text features need the minimum count.
            var features = documentFrequency
                .Where(pair => pair.Key.StartsWith('@') || pair.Value >= options.MinFeatureCount)
                .Select(pair => pair.Key)
                .Order(StringComparer.Ordinal)
                .ToArray();
            var index = new Dictionary<string, int>(features.Length, StringComparer.Ordinal);
            for (var f = 0; f < features.Length; f++)
            {
                index.Add(features[f], f);
            }

            _features = features;
            _ids = new int[examples.Count][];
            _values = new float[examples.Count][];
            for (var i = 0; i < examples.Count; i++)
            {
                var ids = new List<int>();
                var values = new List<float>();
                foreach (var (name, value) in raw[i])
                {
                    if (index.TryGetValue(name, out var id) && !ids.Contains(id))
                    {
                        ids.Add(id);
                        values.Add(value);
                    }
                }

                _ids[i] = [.. ids];
                _values[i] = [.. values];
            }

            // Classes: topic/subtopic pairs in ordinal order (a topic without a subtopic is its own class).
            var classes = examples
                .Select(e => (Topic: e.Topic.Value, e.Subtopic))
                .Distinct()
                .OrderBy(c => c.Topic, StringComparer.Ordinal)
                .ThenBy(c => c.Subtopic ?? string.Empty, StringComparer.Ordinal)
                .ToArray();
            if (classes.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"The examples have {classes.Length} topic and subtopic pairs; a model holds at most {ushort.MaxValue}.", nameof(examples));
            }

            _classTopics = [.. classes.Select(c => new TopicCode(c.Topic))];
            _classSubtopics = [.. classes.Select(c => c.Subtopic)];
            var classIndex = new Dictionary<(string, string?), int>();
            for (var c = 0; c < classes.Length; c++)
            {
                classIndex.Add(classes[c], c);
            }

            _labels = [.. examples.Select(e => classIndex[(e.Topic.Value, e.Subtopic)])];
        }

        public LogisticModel Run()
        {
            var featureCount = _features.Length;
            var classCount = _classTopics.Length;
            var weights = new double[featureCount * classCount];
            var weightHistory = new double[weights.Length];
            var bias = new double[classCount];
            var biasHistory = new double[classCount];
            var trainFlags = _flaggedCount > 0;
            var urgent = trainFlags ? new double[featureCount] : null;
            var urgentHistory = trainFlags ? new double[featureCount] : null;
            var scope = trainFlags ? new double[featureCount] : null;
            var scopeHistory = trainFlags ? new double[featureCount] : null;
            var urgentBias = new double[2];
            var scopeBias = new double[2];

            var order = Enumerable.Range(0, _examples.Count).ToArray();
            var random = new Random(_options.Seed);
            var scores = new double[classCount];
            var rate = _options.LearningRate;
            var l2 = _options.L2;
            for (var epoch = 0; epoch < _options.Epochs; epoch++)
            {
                random.Shuffle(order);
                foreach (var i in order)
                {
                    var ids = _ids[i];
                    var values = _values[i];

                    // Topic and subtopic: softmax cross-entropy.
                    Array.Copy(bias, scores, classCount);
                    for (var k = 0; k < ids.Length; k++)
                    {
                        var row = ids[k] * classCount;
                        var v = values[k];
                        for (var c = 0; c < classCount; c++)
                        {
                            scores[c] += v * weights[row + c];
                        }
                    }

                    Softmax(scores);
                    scores[_labels[i]] -= 1;
                    for (var c = 0; c < classCount; c++)
                    {
                        Step(ref bias[c], ref biasHistory[c], scores[c], rate);
                    }

                    for (var k = 0; k < ids.Length; k++)
                    {
                        var row = ids[k] * classCount;
                        var v = values[k];
                        for (var c = 0; c < classCount; c++)
                        {
                            var gradient = (scores[c] * v) + (l2 * weights[row + c]);
                            Step(ref weights[row + c], ref weightHistory[row + c], gradient, rate);
                        }
                    }

                    if (!_examples[i].Flagged || urgent is null || scope is null)
                    {
                        continue;
                    }

                    Binary(ids, values, urgent, urgentHistory!, urgentBias, _examples[i].Urgent, rate, l2);
                    Binary(ids, values, scope, scopeHistory!, scopeBias, _examples[i].OutOfScope, rate, l2);
                }
            }

            return Build(weights, bias, urgent, urgentBias[0], scope, scopeBias[0]);
        }

        private static void Binary(int[] ids, float[] values, double[] weights, double[] history, double[] bias, bool label, double rate, double l2)
        {
            var z = bias[0];
            for (var k = 0; k < ids.Length; k++)
            {
                z += values[k] * weights[ids[k]];
            }

            var error = Sigmoid(z) - (label ? 1 : 0);
            Step(ref bias[0], ref bias[1], error, rate);
            for (var k = 0; k < ids.Length; k++)
            {
                var f = ids[k];
                Step(ref weights[f], ref history[f], (error * values[k]) + (l2 * weights[f]), rate);
            }
        }

        // Weights are kept at the half precision the model file stores, so a trained model predicts exactly as it will once saved and loaded.
        private static float Round(double weight) => (float)(Half)weight;

        private static void Step(ref double weight, ref double history, double gradient, double rate)
        {
            history += gradient * gradient;
            weight -= rate * gradient / Math.Sqrt(history + Epsilon);
        }

        private LogisticModel Build(double[] weights, double[] bias, double[]? urgent, double urgentBias, double[]? scope, double scopeBias)
        {
            var classCount = _classTopics.Length;
            var prune = _options.PruneBelow;

            // A softmax does not change when one feature's weights all move by the same amount, so each feature's weights are
            // centred on their median first: the many classes a feature merely pushes down then weigh about 0 and are pruned,
            // and only the classes the feature speaks for or against keep a weight.
            var row = new double[classCount];
            for (var f = 0; f < _features.Length; f++)
            {
                Array.Copy(weights, f * classCount, row, 0, classCount);
                Array.Sort(row);
                var median = row[classCount / 2];
                for (var c = 0; c < classCount; c++)
                {
                    weights[(f * classCount) + c] -= median;
                }
            }

            var kept = new List<int>();
            for (var f = 0; f < _features.Length; f++)
            {
                var any = Math.Abs(urgent?[f] ?? 0) >= prune || Math.Abs(scope?[f] ?? 0) >= prune;
                for (var c = 0; c < classCount && !any; c++)
                {
                    any = Math.Abs(weights[(f * classCount) + c]) >= prune;
                }

                if (any)
                {
                    kept.Add(f);
                }
            }

            var features = new string[kept.Count];
            var rows = new float[kept.Count * classCount];
            var urgentWeights = urgent is null ? null : new float[kept.Count];
            var scopeWeights = scope is null ? null : new float[kept.Count];
            for (var k = 0; k < kept.Count; k++)
            {
                var f = kept[k];
                features[k] = _features[f];
                for (var c = 0; c < classCount; c++)
                {
                    var w = weights[(f * classCount) + c];
                    rows[(k * classCount) + c] = Math.Abs(w) >= prune ? Round(w) : 0;
                }

                if (urgentWeights is not null)
                {
                    urgentWeights[k] = Math.Abs(urgent![f]) >= prune ? Round(urgent[f]) : 0;
                }

                if (scopeWeights is not null)
                {
                    scopeWeights[k] = Math.Abs(scope![f]) >= prune ? Round(scope[f]) : 0;
                }
            }

            return new LogisticModel(
                _options,
                _examples.Count,
                _flaggedCount,
                features,
                _classTopics,
                _classSubtopics,
                [.. bias.Select(b => (float)b)],
                rows,
                urgentWeights,
                (float)urgentBias,
                scopeWeights,
                (float)scopeBias);
        }
    }
}
