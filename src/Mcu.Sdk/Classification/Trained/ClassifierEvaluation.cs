using System.Text;
using System.Text.Json;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// An appeal's text with the decisions a person made about it: the labelled data that <see cref="ClassifierEvaluation"/>
/// measures a classifier against.
/// </summary>
/// <param name="Id">The appeal's identifier in the labelled set.</param>
/// <param name="Text">The text.</param>
/// <param name="Topic">The right topic; <c>other</c> for thanks, greetings, unclear and out-of-scope texts.</param>
/// <param name="Subtopic">The right subtopic within <paramref name="Topic"/>, or <see langword="null"/>.</param>
/// <param name="Urgent">Whether the appeal needs an immediate reaction.</param>
/// <param name="OutOfScope">Whether the request is outside the centre's competence.</param>
public sealed record LabeledAppeal(string Id, string Text, TopicCode Topic, string? Subtopic, bool Urgent, bool OutOfScope)
{
    /// <summary>Returns the appeal as a training example: its text, topic and subtopic.</summary>
    /// <returns>The example.</returns>
    public LabeledText ToLabeledText() => new(Text, Topic, Subtopic);
}

/// <summary>
/// Measures classifiers against labelled appeals: loads labelled sets, evaluates a classifier on them, and cross-validates
/// classifiers that are trained on labelled data.
/// </summary>
/// <remarks>The metrics are defined in <see cref="EvaluationReport"/>.</remarks>
public static class ClassifierEvaluation
{
    /// <summary>
    /// Reads labelled appeals from JSON Lines: one object per line with the properties <c>id</c> (string, optional; the line
    /// number when absent), <c>text</c> (string), <c>topic</c> (a topic code), <c>subtopic</c> (string or null, optional),
    /// <c>urgent</c> and <c>outOfScope</c> (booleans, optional, false when absent). Blank lines are skipped; other
    /// properties are ignored. The stream is left open.
    /// </summary>
    /// <param name="stream">A readable UTF-8 stream.</param>
    /// <returns>The appeals, in the order of the lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// A line is not a JSON object, lacks <c>text</c> or <c>topic</c>, has a property of the wrong type or an invalid topic
    /// code, or repeats an id; the message starts with <c>Line N:</c>.
    /// </exception>
    public static IReadOnlyList<LabeledAppeal> LoadJsonl(Stream stream)
    {
        Throw.IfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var appeals = new List<LabeledAppeal>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var appeal = ParseLine(line, number);
            if (!ids.TryAdd(appeal.Id, number))
            {
                throw new InvalidDataException($"Line {number}: the id '{appeal.Id}' repeats (first on line {ids[appeal.Id]}).");
            }

            appeals.Add(appeal);
        }

        return appeals.AsReadOnly();
    }

    /// <summary>Reads labelled appeals from a JSON Lines file (see <see cref="LoadJsonl"/>).</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The appeals.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is invalid; the message names the file and the line.</exception>
    public static IReadOnlyList<LabeledAppeal> LoadJsonlFile(string path)
    {
        Throw.IfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The labelled file '{fullPath}' does not exist.", fullPath);
        }

        using var stream = File.OpenRead(fullPath);
        try
        {
            return LoadJsonl(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{fullPath}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Returns whether a classification is an abstention: topic <c>other</c>, not out of scope, with a reason that starts
    /// with <c>abstained</c> (compared ordinally, ignoring case).
    /// </summary>
    /// <param name="classification">The classification.</param>
    /// <returns><see langword="true"/> for an abstention.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="classification"/> is <see langword="null"/>.</exception>
    public static bool IsAbstention(AppealClassification classification)
    {
        Throw.IfNull(classification);
        return classification.Topic == TopicCode.Other
            && !classification.IsOutOfScope
            && classification.Reason is { } reason
            && reason.StartsWith("abstained", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Classifies every appeal and measures the results against the labels.</summary>
    /// <param name="classifier">The classifier.</param>
    /// <param name="appeals">The labelled appeals.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="appeals"/> holds a <see langword="null"/> item.</exception>
    /// <remarks>
    /// The classifier is called synchronously through <see cref="IAppealClassifier.ClassifyAsync"/>; a classifier that does
    /// I/O is better measured with <see cref="EvaluateAsync"/>.
    /// </remarks>
    public static EvaluationReport Evaluate(IAppealClassifier classifier, IEnumerable<LabeledAppeal> appeals)
    {
        Throw.IfNull(classifier);
        Throw.IfNull(appeals);
        var results = new List<EvaluatedAppeal>();
        foreach (var appeal in appeals)
        {
            results.Add(new EvaluatedAppeal(CheckItem(appeal, nameof(appeals)), ClassifySync(classifier, appeal.Text)));
        }

        return new EvaluationReport(results);
    }

    /// <summary>Classifies every appeal asynchronously and measures the results against the labels.</summary>
    /// <param name="classifier">The classifier.</param>
    /// <param name="appeals">The labelled appeals.</param>
    /// <param name="cancellationToken">A token to cancel the evaluation.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="appeals"/> holds a <see langword="null"/> item.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<EvaluationReport> EvaluateAsync(
        IAppealClassifier classifier, IEnumerable<LabeledAppeal> appeals, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(classifier);
        Throw.IfNull(appeals);
        var results = new List<EvaluatedAppeal>();
        foreach (var appeal in appeals)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var classification = await classifier.ClassifyAsync(CheckItem(appeal, nameof(appeals)).Text, cancellationToken);
            results.Add(new EvaluatedAppeal(appeal, classification));
        }

        return new EvaluationReport(results);
    }

    /// <summary>
    /// Cross-validates a classifier that learns from labelled appeals: the set is split into <paramref name="folds"/>
    /// parts; each part is classified by a classifier built from the other parts; the report pools all parts.
    /// </summary>
    /// <param name="factory">Builds a classifier from its training appeals (for example trains a <see cref="NaiveBayesModel"/> on them).</param>
    /// <param name="set">The labelled appeals.</param>
    /// <param name="folds">The number of parts, from 2 to the number of appeals.</param>
    /// <param name="seed">The seed of the shuffle: the same seed gives the same parts on every platform.</param>
    /// <returns>The pooled report, with the results in the order of <paramref name="set"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> or <paramref name="set"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="set"/> holds a <see langword="null"/> item.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="folds"/> is below 2 or above the number of appeals.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="factory"/> returned <see langword="null"/>.</exception>
    /// <remarks>
    /// The parts are stratified: the appeals are shuffled (SplitMix64 from <paramref name="seed"/>), grouped by topic
    /// keeping the shuffled order, and dealt to the parts in turn, so every part has about the same share of each topic.
    /// </remarks>
    public static EvaluationReport CrossValidate(
        Func<IReadOnlyList<LabeledAppeal>, IAppealClassifier> factory, IReadOnlyList<LabeledAppeal> set, int folds, int seed)
    {
        Throw.IfNull(factory);
        Throw.IfNull(set);
        foreach (var appeal in set)
        {
            CheckItem(appeal, nameof(set));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(folds, set.Count);
        var fold = AssignFolds(set, folds, seed);
        var results = new EvaluatedAppeal[set.Count];
        for (var k = 0; k < folds; k++)
        {
            var training = new List<LabeledAppeal>();
            for (var i = 0; i < set.Count; i++)
            {
                if (fold[i] != k)
                {
                    training.Add(set[i]);
                }
            }

            var classifier = factory(training.AsReadOnly())
                ?? throw new InvalidOperationException($"The classifier factory returned null for fold {k + 1} of {folds}.");
            for (var i = 0; i < set.Count; i++)
            {
                if (fold[i] == k)
                {
                    results[i] = new EvaluatedAppeal(set[i], ClassifySync(classifier, set[i].Text));
                }
            }
        }

        return new EvaluationReport(results);
    }

    /// <summary>Returns the fold of each appeal of a set, as <see cref="CrossValidate"/> assigns them.</summary>
    /// <param name="set">The appeals.</param>
    /// <param name="folds">The number of folds.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The fold index of each appeal, from 0 to <paramref name="folds"/> − 1.</returns>
    internal static int[] AssignFolds(IReadOnlyList<LabeledAppeal> set, int folds, int seed)
    {
        var order = new int[set.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var state = unchecked((ulong)seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(NextRandom(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var position = new int[set.Count];
        for (var i = 0; i < order.Length; i++)
        {
            position[order[i]] = i;
        }

        var stratified = order
            .OrderBy(i => set[i].Topic, Comparer<TopicCode>.Create(EvaluationReport.CompareTopics))
            .ThenBy(i => position[i])
            .ToArray();
        var fold = new int[set.Count];
        for (var i = 0; i < stratified.Length; i++)
        {
            fold[stratified[i]] = i % folds;
        }

        return fold;
    }

    // SplitMix64: a tiny generator whose sequence is fixed by its definition, unlike System.Random's.
    private static ulong NextRandom(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static LabeledAppeal CheckItem(LabeledAppeal? appeal, string parameterName) =>
        appeal ?? throw new ArgumentException("The labelled appeals hold a null item.", parameterName);

    private static AppealClassification ClassifySync(IAppealClassifier classifier, string text)
    {
        var pending = classifier.ClassifyAsync(text, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private static LabeledAppeal ParseLine(string line, int number)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Line {number}: not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Line {number}: expected a JSON object, found {root.ValueKind}.");
            }

            var id = GetString(root, "id", number, required: false) ?? "#" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = GetString(root, "text", number, required: true)!;
            var topicText = GetString(root, "topic", number, required: true);
            if (!TopicCode.TryParse(topicText, out var topic))
            {
                throw new InvalidDataException($"Line {number}: 'topic' is '{topicText}', not a topic code (letters, digits and hyphens).");
            }

            var subtopic = GetString(root, "subtopic", number, required: false);
            var urgent = GetBoolean(root, "urgent", number);
            var outOfScope = GetBoolean(root, "outOfScope", number);
            return new LabeledAppeal(id, text, topic, string.IsNullOrWhiteSpace(subtopic) ? null : subtopic.Trim(), urgent, outOfScope);
        }
    }

    private static string? GetString(JsonElement root, string name, int number, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new InvalidDataException($"Line {number}: the property '{name}' is missing.") : null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidDataException($"Line {number}: '{name}' must be a string, found {value.ValueKind}.");
    }

    private static bool GetBoolean(JsonElement root, string name, int number)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"Line {number}: '{name}' must be true or false, found {value.ValueKind}."),
        };
    }
}
