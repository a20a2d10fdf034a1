using System.Globalization;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// The SDK's default classifier: the lexicon's explainable rules, weighed by a <see cref="LogisticModel"/> that learned
/// from labelled appeals how far to trust each rule term, the rules' decision and the text's own stems.
/// </summary>
/// <remarks>
/// <para>The rules run first (<see cref="LexiconClassifier"/>); the model reads the text and the rules' result and gives the
/// probabilities of the topics, of urgency and of scope. The text is read once: the rules show the model each word's stem
/// and each matched term as they classify (a model trained with stem pairs, or a text longer than the rules or the model
/// read, is read a second time by the model). The decision, in order:</para>
/// <list type="number">
/// <item><description><b>A topic the model never saw</b> (one a city added to its lexicon) that the rules decided: the
/// rules' decision, urgent when either the rules or the model say so.</description></item>
/// <item><description>A text none of whose features the model knows, or none of whose words it knows when the rules
/// abstained: the rules' result as it is.</description></item>
/// <item><description><b>Out of scope</b> when the model's probability reaches
/// <see cref="StackedClassifierOptions.OutOfScopeThreshold"/> (or, for a model trained without scope labels, when the rules
/// say so): topic <c>other</c>, not urgent.</description></item>
/// <item><description><b>Urgent</b> when the model's probability reaches <see cref="StackedClassifierOptions.UrgentThreshold"/>
/// (or, for a model trained without urgency labels, when the rules say so). Urgency stands even when the topic is
/// unclear.</description></item>
/// <item><description>Otherwise <b>the model's best topic</b> and its best subtopic; below
/// <see cref="StackedClassifierOptions.MinConfidence"/> the classifier abstains: topic <c>other</c> with a reason that
/// starts with <c>abstained</c>.</description></item>
/// </list>
/// <para>The matched terms are the rules' terms followed by the model features that weighed most for the decided topic
/// (target <c>model:&lt;topic&gt;</c>, weight = the feature's contribution to the topic's score); the reason gives both
/// opinions. The classifier is immutable, safe for concurrent use, and never throws for any text.</para>
/// </remarks>
public sealed class StackedClassifier : IAppealClassifier
{
    private static readonly Lazy<StackedClassifier> DefaultClassifier = new(() => new StackedClassifier(new LexiconClassifier(), LogisticModel.Default));

    private readonly double _minConfidence;
    private readonly double _urgentThreshold;
    private readonly double _outOfScopeThreshold;
    private readonly int _maxModelTerms;

    // Reads the text once, while the rules classify it; null when the model needs what the rules do not see (stem pairs).
    private readonly StackedFeatureMap? _map;
    private readonly int _singlePassLength;

    /// <summary>Initializes a new instance of the <see cref="StackedClassifier"/> class.</summary>
    /// <param name="rules">The rules; use the lexicon the model was trained with, plus a city's own terms.</param>
    /// <param name="model">The model.</param>
    /// <param name="options">The options; or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or <paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of its range.</exception>
    public StackedClassifier(LexiconClassifier rules, LogisticModel model, StackedClassifierOptions? options = null)
    {
        Throw.IfNull(rules);
        Throw.IfNull(model);
        options = options?.Clone() ?? new StackedClassifierOptions();
        options.Validate(nameof(options));
        Rules = rules;
        Model = model;
        _minConfidence = options.MinConfidence;
        _urgentThreshold = options.UrgentThreshold;
        _outOfScopeThreshold = options.OutOfScopeThreshold;
        _maxModelTerms = options.MaxModelTerms;
        if (!model.UsesBigrams)
        {
            _map = new StackedFeatureMap(rules.Compiled, model);
            _singlePassLength = Math.Min(rules.MaxTextLength, LogisticModel.MaxTextLength);
        }
    }

    /// <summary>Gets the default classifier: the default lexicon's rules with the model shipped with the SDK.</summary>
    public static StackedClassifier Default => DefaultClassifier.Value;

    /// <summary>Gets the rules.</summary>
    public LexiconClassifier Rules { get; }

    /// <summary>Gets the model.</summary>
    public LogisticModel Model { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the call.</exception>
    public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Classify(text.AsSpan()));
    }

    /// <summary>Classifies a text synchronously.</summary>
    /// <param name="text">The appeal's text, any length.</param>
    /// <returns>The classification with the terms of the rules and the model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public AppealClassification Classify(string text)
    {
        Throw.IfNull(text);
        return Classify(text.AsSpan());
    }

    /// <summary>Classifies a text synchronously.</summary>
    /// <param name="text">The appeal's text, any length.</param>
    /// <returns>The classification with the terms of the rules and the model.</returns>
    public AppealClassification Classify(ReadOnlySpan<char> text)
    {
        AppealClassification rules;
        LogisticPrediction prediction;
        if (_map is not null && text.Length <= _singlePassLength)
        {
            var reader = new StackedFeatureReader(_map);
            try
            {
                rules = Rules.Classify(text, ref reader);
                reader.Finish(rules);
                prediction = Model.Predict(reader.Ids, reader.Values, _maxModelTerms, reader.KnownWordCount);
            }
            finally
            {
                reader.Dispose();
            }
        }
        else
        {
            rules = Rules.Classify(text);
            prediction = Model.Predict(text, rules, _maxModelTerms);
        }

        return Decide(rules, prediction);
    }

    /// <summary>Classifies a text the way a model with stem pairs must: the rules first, then the model reads the text again (for tests: it must agree with <see cref="Classify(ReadOnlySpan{char})"/>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The classification.</returns>
    internal AppealClassification ClassifyInTwoPasses(string text)
    {
        var rules = Rules.Classify(text);
        return Decide(rules, Model.Predict(text, rules, _maxModelTerms));
    }

    /// <summary>Returns the features the single pass reads (for tests: they must equal what training reads), or <see langword="null"/> when the text takes two passes.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The features by ascending id, each once.</returns>
    internal (int Id, float Value)[]? ReadFeaturesInOnePass(string text)
    {
        if (_map is null || text.Length > _singlePassLength)
        {
            return null;
        }

        var reader = new StackedFeatureReader(_map);
        try
        {
            reader.Finish(Rules.Classify(text.AsSpan(), ref reader));
            return reader.ToSortedArray();
        }
        finally
        {
            reader.Dispose();
        }
    }

    private AppealClassification Decide(AppealClassification rules, LogisticPrediction prediction)
    {
        var c = CultureInfo.InvariantCulture;
        var terms = Terms(rules, prediction);
        var rulesSaid = new RulesSaid(rules);
        if (!ClassifierEvaluation.IsAbstention(rules) && !rules.IsOutOfScope && !Model.Knows(rules.Topic))
        {
            var urgentByModel = prediction.KnownFeatureCount > 0 && prediction.UrgentProbability is { } p && p >= _urgentThreshold;
            return new AppealClassification(
                rules.Topic, rules.Subtopic, rules.IsUrgent || urgentByModel, false, rules.Confidence, terms,
                string.Create(c, $"rules: {rules.Topic} is a topic the model was not trained on; rules {rulesSaid}."));
        }

        if (prediction.KnownFeatureCount == 0 || (prediction.KnownWordCount == 0 && ClassifierEvaluation.IsAbstention(rules)))
        {
            // Nothing the model could weigh: no feature it knows, or only the rules' abstention and none of the text's words.
            return rules;
        }

        var outOfScope = prediction.OutOfScopeProbability is { } pScope ? pScope >= _outOfScopeThreshold : rules.IsOutOfScope;
        if (outOfScope)
        {
            var confidence = prediction.OutOfScopeProbability ?? rules.Confidence;
            return new AppealClassification(
                TopicCode.Other, null, false, true, confidence, terms,
                string.Create(c, $"out of scope: model {new Hundredths(confidence)}; rules {rulesSaid}."));
        }

        var urgent = prediction.UrgentProbability is { } pUrgent ? pUrgent >= _urgentThreshold : rules.IsUrgent;

        var topic = prediction.Topic;
        var probability = prediction.Probability;
        if (topic == TopicCode.Other)
        {
            return new AppealClassification(
                TopicCode.Other, null, urgent, false, probability, terms,
                string.Create(c, $"other: the model's best topic is 'other' (probability {new Hundredths(probability)}); rules {rulesSaid}."));
        }

        if (probability < _minConfidence)
        {
            var next = prediction.Topics.Count > 1 ? prediction.Topics[1] : default;
            return new AppealClassification(
                TopicCode.Other, null, urgent, false, probability, terms,
                string.Create(c, $"abstained: the best topic {topic} has probability {new Hundredths(probability)}, below {new Hundredths(_minConfidence)} (next: {next.Topic} {new Hundredths(next.Probability)}); rules {rulesSaid}."));
        }

        var subtopic = prediction.Subtopic ?? (rules.Topic == topic ? rules.Subtopic : null);
        return new AppealClassification(
            topic, subtopic, urgent, false, probability, terms,
            string.Create(c, $"model: {topic} (probability {new Hundredths(probability)}); rules {rulesSaid}."));
    }

    /// <summary>What the rules said, written into the reason: <c>roads/potholes (0.83, urgent)</c>, <c>abstained</c>, <c>out of scope (0.91)</c>.</summary>
    private readonly struct RulesSaid(AppealClassification rules) : ISpanFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public override string ToString()
        {
            Span<char> buffer = stackalloc char[256];
            return TryFormat(buffer, out var written, default, null) ? new string(buffer[..written]) : string.Empty;
        }

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            if (ClassifierEvaluation.IsAbstention(rules))
            {
                return destination.TryWrite(CultureInfo.InvariantCulture, $"abstained", out charsWritten);
            }

            if (rules.IsOutOfScope)
            {
                return destination.TryWrite(CultureInfo.InvariantCulture, $"out of scope ({new Hundredths(rules.Confidence)})", out charsWritten);
            }

            return destination.TryWrite(
                CultureInfo.InvariantCulture,
                $"{rules.Topic}{(rules.Subtopic is null ? string.Empty : "/")}{rules.Subtopic} ({new Hundredths(rules.Confidence)}{(rules.IsUrgent ? ", urgent" : string.Empty)})",
                out charsWritten);
        }
    }

    /// <summary>A number from 0 to 1 written with two decimals (<c>0.93</c>), without the cost of formatting a double.</summary>
    private readonly struct Hundredths(double value) : ISpanFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public override string ToString()
        {
            Span<char> buffer = stackalloc char[8];
            return TryFormat(buffer, out var written, default, null) ? new string(buffer[..written]) : value.ToString("0.00", CultureInfo.InvariantCulture);
        }

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            var scaled = (int)Math.Round(Math.Clamp(value, 0, 99) * 100, MidpointRounding.AwayFromZero);
            var whole = scaled / 100;
            var fraction = scaled % 100;
            var length = (whole >= 10 ? 2 : 1) + 3;
            charsWritten = 0;
            if (destination.Length < length)
            {
                return false;
            }

            var i = 0;
            if (whole >= 10)
            {
                destination[i++] = (char)('0' + (whole / 10));
            }

            destination[i++] = (char)('0' + (whole % 10));
            destination[i++] = '.';
            destination[i++] = (char)('0' + (fraction / 10));
            destination[i++] = (char)('0' + (fraction % 10));
            charsWritten = i;
            return true;
        }
    }

    private static MatchedTerm[] Terms(AppealClassification rules, LogisticPrediction prediction)
    {
        var contributions = prediction.Contributions;
        var terms = new MatchedTerm[rules.Terms.Count + contributions.Count];
        for (var i = 0; i < rules.Terms.Count; i++)
        {
            terms[i] = rules.Terms[i];
        }

        var target = prediction.ContributionTarget;
        for (var i = 0; i < contributions.Count; i++)
        {
            terms[rules.Terms.Count + i] = new MatchedTerm(contributions[i].Feature, target, contributions[i].Weight);
        }

        return terms;
    }
}
