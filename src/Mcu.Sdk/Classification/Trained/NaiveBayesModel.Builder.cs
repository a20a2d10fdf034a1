namespace Mcu.Sdk.Classification;

/// <content>Training: counting the features of labelled examples.</content>
public sealed partial class NaiveBayesModel
{
    /// <summary>Adds up feature counts per topic and subtopic, then builds a model with a canonical order of everything.</summary>
    private sealed class Builder(NaiveBayesOptions options)
    {
        private readonly Dictionary<TopicCode, int> _topicIds = [];
        private readonly List<TopicCode> _topics = [];
        private readonly List<int> _topicExamples = [];
        private readonly Dictionary<(int Topic, string Code), int> _subtopicIds = [];
        private readonly List<(int Topic, string Code)> _subtopics = [];
        private readonly List<int> _subtopicExamples = [];
        private readonly Dictionary<string, Counts> _features = new(StringComparer.Ordinal);

        public int ExampleCount { get; private set; }

        public void AddExamples(IEnumerable<LabeledText> examples, string parameterName)
        {
            var number = 0;
            foreach (var example in examples)
            {
                number++;
                if (example is null)
                {
                    throw new ArgumentException($"Example #{number} is null.", parameterName);
                }

                if (example.Text is null)
                {
                    throw new ArgumentException($"Example #{number} has no text.", parameterName);
                }

                Add(example);
            }
        }

        public void AddModel(NaiveBayesModel model)
        {
            ExampleCount += model.ExampleCount;
            var topicMap = new int[model._topics.Length];
            for (var t = 0; t < topicMap.Length; t++)
            {
                topicMap[t] = TopicId(model._topics[t]);
                _topicExamples[topicMap[t]] += model._topicExamples[t];
            }

            var subtopicMap = new int[model._subtopicCodes.Length];
            for (var s = 0; s < subtopicMap.Length; s++)
            {
                subtopicMap[s] = SubtopicId(topicMap[model._subtopicTopics[s]], model._subtopicCodes[s]);
                _subtopicExamples[subtopicMap[s]] += model._subtopicExamples[s];
            }

            for (var f = 0; f < model._features.Length; f++)
            {
                var counts = GetCounts(model._features[f]);
                for (var e = model._topicOffsets[f]; e < model._topicOffsets[f + 1]; e++)
                {
                    Counts.Add(counts.Topics, topicMap[model._topicEntryClass[e]], model._topicEntryCount[e]);
                }

                for (var e = model._subtopicOffsets[f]; e < model._subtopicOffsets[f + 1]; e++)
                {
                    Counts.Add(counts.Subtopics, subtopicMap[model._subtopicEntryClass[e]], model._subtopicEntryCount[e]);
                }
            }
        }

        public NaiveBayesModel Build()
        {
            // Canonical order, whatever the order of the examples: well-known topics in taxonomy order, then the others
            // by code; subtopics by topic, then code; features by ordinal comparison.
            var topicOrder = Enumerable.Range(0, _topics.Count)
                .OrderBy(t => TopicRank(_topics[t]))
                .ThenBy(t => _topics[t].Value, StringComparer.Ordinal)
                .ToArray();
            var topicRemap = new int[topicOrder.Length];
            for (var i = 0; i < topicOrder.Length; i++)
            {
                topicRemap[topicOrder[i]] = i;
            }

            var subtopicOrder = Enumerable.Range(0, _subtopics.Count)
                .OrderBy(s => topicRemap[_subtopics[s].Topic])
                .ThenBy(s => _subtopics[s].Code, StringComparer.Ordinal)
                .ToArray();
            var subtopicRemap = new int[subtopicOrder.Length];
            for (var i = 0; i < subtopicOrder.Length; i++)
            {
                subtopicRemap[subtopicOrder[i]] = i;
            }

            var features = _features.Keys.ToArray();
            Array.Sort(features, StringComparer.Ordinal);
            var topicOffsets = new int[features.Length + 1];
            var subtopicOffsets = new int[features.Length + 1];
            var topicEntries = new List<(int Class, int Count)>();
            var subtopicEntries = new List<(int Class, int Count)>();
            for (var f = 0; f < features.Length; f++)
            {
                var counts = _features[features[f]];
                topicEntries.AddRange(counts.Topics.Select(x => (topicRemap[x.Key], x.Value)).OrderBy(x => x.Item1));
                subtopicEntries.AddRange(counts.Subtopics.Select(x => (subtopicRemap[x.Key], x.Value)).OrderBy(x => x.Item1));
                topicOffsets[f + 1] = topicEntries.Count;
                subtopicOffsets[f + 1] = subtopicEntries.Count;
            }

            return new NaiveBayesModel(
                options.Clone(),
                ExampleCount,
                [.. topicOrder.Select(t => _topics[t])],
                [.. topicOrder.Select(t => _topicExamples[t])],
                [.. subtopicOrder.Select(s => topicRemap[_subtopics[s].Topic])],
                [.. subtopicOrder.Select(s => _subtopics[s].Code)],
                [.. subtopicOrder.Select(s => _subtopicExamples[s])],
                features,
                topicOffsets,
                [.. topicEntries.Select(x => x.Class)],
                [.. topicEntries.Select(x => x.Count)],
                subtopicOffsets,
                [.. subtopicEntries.Select(x => x.Class)],
                [.. subtopicEntries.Select(x => x.Count)]);
        }

        private static int TopicRank(TopicCode topic)
        {
            var rank = 0;
            foreach (var known in TopicCode.WellKnown)
            {
                if (known == topic)
                {
                    return rank;
                }

                rank++;
            }

            return rank;
        }

        private void Add(LabeledText example)
        {
            ExampleCount++;
            var topic = TopicId(example.Topic);
            _topicExamples[topic]++;
            var subtopic = -1;
            if (!string.IsNullOrWhiteSpace(example.Subtopic))
            {
                subtopic = SubtopicId(topic, example.Subtopic.Trim());
                _subtopicExamples[subtopic]++;
            }

            var features = FeatureExtractor.ToList(example.Text, options.UseBigrams);
            if (options.BinaryFeatures)
            {
                features = [.. features.Distinct(StringComparer.Ordinal)];
            }

            foreach (var feature in features)
            {
                var counts = GetCounts(feature);
                Counts.Add(counts.Topics, topic, 1);
                if (subtopic >= 0)
                {
                    Counts.Add(counts.Subtopics, subtopic, 1);
                }
            }
        }

        private int TopicId(TopicCode topic)
        {
            if (!_topicIds.TryGetValue(topic, out var id))
            {
                id = _topics.Count;
                _topicIds.Add(topic, id);
                _topics.Add(topic);
                _topicExamples.Add(0);
            }

            return id;
        }

        private int SubtopicId(int topic, string code)
        {
            if (!_subtopicIds.TryGetValue((topic, code), out var id))
            {
                id = _subtopics.Count;
                _subtopicIds.Add((topic, code), id);
                _subtopics.Add((topic, code));
                _subtopicExamples.Add(0);
            }

            return id;
        }

        private Counts GetCounts(string feature)
        {
            if (!_features.TryGetValue(feature, out var counts))
            {
                counts = new Counts();
                _features.Add(feature, counts);
            }

            return counts;
        }

        /// <summary>The counts of one feature per topic and per subtopic.</summary>
        private sealed class Counts
        {
            public Dictionary<int, int> Topics { get; } = [];

            public Dictionary<int, int> Subtopics { get; } = [];

            public static void Add(Dictionary<int, int> table, int id, int count) =>
                table[id] = checked(table.GetValueOrDefault(id) + count);
        }
    }
}
