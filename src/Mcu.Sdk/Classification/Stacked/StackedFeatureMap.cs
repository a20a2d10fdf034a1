namespace Mcu.Sdk.Classification;

/// <summary>
/// The features of <see cref="StackedFeatures"/>, resolved ahead for one pair of rules and model: the model's id of every
/// lexicon entry's term feature, of every topic and subtopic score, of every decision, and (filled as texts arrive) of
/// every stem the rules' word table has seen. With it the stacked classifier reads a text once: the rules show it the
/// stems and the terms as they classify (<see cref="StackedFeatureReader"/>), and no feature name is composed or hashed.
/// </summary>
/// <remarks>The features read this way are exactly those <see cref="StackedFeatures.Extract"/> names (a test holds the two
/// equal); the map is safe for concurrent use.</remarks>
internal sealed class StackedFeatureMap
{
    private const int Unknown = 0;

    private readonly int[] _termFeature;
    private readonly int[] _topicTarget;
    private readonly int[] _subtopicTarget;
    private readonly int[] _targetFeature;
    private readonly Dictionary<string, (int Decided, int Confidence)> _decisions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // The model's feature id of each stem id of the rules' word table, stored as id + 2 (0: not looked up yet, 1: none).
    private int[] _stemFeatures = [];

    /// <summary>Initializes a new instance of the <see cref="StackedFeatureMap"/> class.</summary>
    /// <param name="lexicon">The rules' compiled lexicon.</param>
    /// <param name="model">The model.</param>
    public StackedFeatureMap(CompiledLexicon lexicon, LogisticModel model)
    {
        Model = model;
        var entries = lexicon.Entries;
        _termFeature = new int[entries.Length];
        _topicTarget = new int[entries.Length];
        _subtopicTarget = new int[entries.Length];
        var targets = new Dictionary<string, int>(StringComparer.Ordinal);
        var targetFeatures = new List<int>();
        int Target(string target)
        {
            if (!targets.TryGetValue(target, out var index))
            {
                index = targets.Count;
                targets.Add(target, index);
                targetFeatures.Add(Feature(target.Contains('/', StringComparison.Ordinal) ? "@s:" : "@t:", target));
            }

            return index;
        }

        for (var e = 0; e < entries.Length; e++)
        {
            var entry = entries[e];
            _termFeature[e] = Feature("@w:", entry.Target + "|" + entry.Text);
            _topicTarget[e] = -1;
            _subtopicTarget[e] = -1;
            if (StackedFeatures.IsTopicTarget(entry.Target))
            {
                var slash = entry.Target.IndexOf('/', StringComparison.Ordinal);
                _topicTarget[e] = Target(slash < 0 ? entry.Target : entry.Target[..slash]);
                if (slash >= 0)
                {
                    _subtopicTarget[e] = Target(entry.Target);
                }
            }
        }

        _targetFeature = [.. targetFeatures];
        foreach (var topic in lexicon.TopicCodes.Append(TopicCode.Other))
        {
            _decisions.TryAdd(topic.Value, (Feature("@r:", topic.Value), Feature("@c:", topic.Value)));
        }

        Abstained = Feature("@r:", "~abstain");
        OutOfScope = Feature("@r:", "~out-of-scope");
        Urgent = Feature("@r:", "~urgent");
    }

    /// <summary>Gets the model.</summary>
    public LogisticModel Model { get; }

    /// <summary>Gets the id of the feature "the rules abstained", or -1.</summary>
    public int Abstained { get; }

    /// <summary>Gets the id of the feature "the rules found the text out of scope", or -1.</summary>
    public int OutOfScope { get; }

    /// <summary>Gets the id of the feature "the rules found the text urgent", or -1.</summary>
    public int Urgent { get; }

    /// <summary>Returns the id of an entry's term feature, or -1.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The id.</returns>
    public int TermFeature(int entry) => _termFeature[entry];

    /// <summary>Returns the index of the topic score an entry adds to, or -1 for a cue.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The target index.</returns>
    public int TopicTarget(int entry) => _topicTarget[entry];

    /// <summary>Returns the index of the subtopic score an entry adds to, or -1.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The target index.</returns>
    public int SubtopicTarget(int entry) => _subtopicTarget[entry];

    /// <summary>Returns the id of a target's score feature, or -1.</summary>
    /// <param name="target">The target index.</param>
    /// <returns>The id.</returns>
    public int TargetFeature(int target) => _targetFeature[target];

    /// <summary>Returns the ids of the features "the rules decided this topic" and "with this confidence" (each -1 when absent).</summary>
    /// <param name="topic">The topic.</param>
    /// <returns>The ids.</returns>
    public (int Decided, int Confidence) Decision(TopicCode topic) =>
        _decisions.TryGetValue(topic.Value, out var ids) ? ids : (Feature("@r:", topic.Value), Feature("@c:", topic.Value));

    /// <summary>Returns the model's id of a stem, or -1 when the model does not have it.</summary>
    /// <param name="stemId">The stem's id in the rules' word table, or -1.</param>
    /// <param name="stem">The stem.</param>
    /// <returns>The feature id.</returns>
    public int StemFeature(int stemId, scoped ReadOnlySpan<char> stem)
    {
        if (stemId < 0)
        {
            return Model.FeatureId(stem);
        }

        var map = Volatile.Read(ref _stemFeatures);
        if ((uint)stemId < (uint)map.Length && map[stemId] is var known and not Unknown)
        {
            return known - 2;
        }

        var id = Model.FeatureId(stem);
        if ((uint)stemId >= (uint)map.Length)
        {
            lock (_gate)
            {
                map = _stemFeatures;
                if ((uint)stemId >= (uint)map.Length)
                {
                    var grown = new int[Math.Max(stemId + 1, Math.Max(1024, map.Length * 2))];
                    map.CopyTo(grown, 0);
                    Volatile.Write(ref _stemFeatures, grown);
                    map = grown;
                }
            }
        }

        // A write racing with a growth may land in the old array and be lost: the stem is then looked up once more.
        map[stemId] = id + 2;
        return id;
    }

    private int Feature(string prefix, string name) =>
        prefix.Length + name.Length > StackedFeatures.MaxNameLength ? -1 : Model.FeatureId(prefix + name);
}

/// <summary>
/// Reads the features of one text while the rules classify it (an observer of <see cref="LexiconClassifier"/>), then the
/// features of the rules' decision; the result is what <see cref="StackedFeatures.Extract"/> gives, as model ids.
/// </summary>
internal struct StackedFeatureReader : ILexiconObserver, IDisposable
{
    private readonly StackedFeatureMap _map;
    private FeatureIdCollector _features;
    private TargetIndices _targets;
    private TargetScores _scores;
    private int _targetCount;

    /// <summary>Initializes a new instance of the <see cref="StackedFeatureReader"/> struct.</summary>
    /// <param name="map">The map of the rules and the model.</param>
    public StackedFeatureReader(StackedFeatureMap map)
    {
        _map = map;
        _features = new FeatureIdCollector(map.Model);
    }

    /// <summary>Gets the features' ids, each once, in the order they were read.</summary>
    public readonly ReadOnlySpan<int> Ids => _features.Ids;

    /// <summary>Gets the features' values.</summary>
    public readonly ReadOnlySpan<float> Values => _features.Values;

    /// <summary>Gets how many of the text's words (with repetitions) the model knows.</summary>
    public int KnownWordCount { get; private set; }

    /// <inheritdoc/>
    public readonly bool WantsStems => true;

    /// <inheritdoc/>
    public void Stem(int stemId, scoped ReadOnlySpan<char> stem)
    {
        var id = _map.StemFeature(stemId, stem);
        if (id >= 0)
        {
            _features.Add(id, 1);
            KnownWordCount++;
        }
    }

    /// <inheritdoc/>
    public void Term(int entry, double weight)
    {
        if (_map.TermFeature(entry) is var term and >= 0)
        {
            _features.Add(term, 1);
        }

        if (_map.TopicTarget(entry) is var topic and >= 0)
        {
            AddScore(topic, weight);
            if (_map.SubtopicTarget(entry) is var subtopic and >= 0)
            {
                AddScore(subtopic, weight);
            }
        }
    }

    /// <summary>Adds the features of the rules' scores and decision.</summary>
    /// <param name="rules">The rules' classification of the text.</param>
    public void Finish(AppealClassification rules)
    {
        for (var i = 0; i < _targetCount; i++)
        {
            if (_map.TargetFeature(_targets[i]) is var id and >= 0 && _scores[i] > 0)
            {
                _features.Add(id, (float)Math.Log(1 + _scores[i]));
            }
        }

        if (ClassifierEvaluation.IsAbstention(rules))
        {
            Add(_map.Abstained, 1);
        }
        else if (rules.IsOutOfScope)
        {
            Add(_map.OutOfScope, 1);
        }
        else
        {
            var (decided, confidence) = _map.Decision(rules.Topic);
            Add(decided, 1);
            Add(confidence, (float)rules.Confidence);
        }

        if (rules.IsUrgent)
        {
            Add(_map.Urgent, 1);
        }

    }

    /// <summary>Returns the features as (id, value) pairs by ascending id (for tests).</summary>
    /// <returns>The pairs.</returns>
    public readonly (int Id, float Value)[] ToSortedArray() => _features.ToSortedArray();

    /// <inheritdoc/>
    public void Dispose() => _features.Dispose();

    private void Add(int id, float value)
    {
        if (id >= 0)
        {
            _features.Add(id, value);
        }
    }

    // Sums the weights per target in the order the targets first appear, at most MaxTargets of them (as StackedFeatures does).
    private void AddScore(int target, double weight)
    {
        for (var i = 0; i < _targetCount; i++)
        {
            if (_targets[i] == target)
            {
                _scores[i] += weight;
                return;
            }
        }

        if (_targetCount < StackedFeatures.MaxTargets)
        {
            _targets[_targetCount] = target;
            _scores[_targetCount] = weight;
            _targetCount++;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(StackedFeatures.MaxTargets)]
    private struct TargetIndices
    {
        private int _element;
    }

    [System.Runtime.CompilerServices.InlineArray(StackedFeatures.MaxTargets)]
    private struct TargetScores
    {
        private double _element;
    }
}
