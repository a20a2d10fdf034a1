using System.Globalization;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// A classifier that decides the topic and subtopic of an appeal with a <see cref="NaiveBayesModel"/> trained on the city's
/// own history.
/// </summary>
/// <remarks>
/// <para>The confidence is the model's probability of the best topic. Below <see cref="TrainedClassifierOptions.MinConfidence"/>,
/// or when the model knows none of the text's words, the classifier abstains: topic <c>other</c> with a reason that starts
/// with <c>abstained</c>. When the best topic is <c>other</c> itself, the reason starts with <c>other</c>.</para>
/// <para>The matched terms are the features that speak most for the topic, with the target <c>model:&lt;topic&gt;</c> and
/// their log-likelihood advantage as the weight. The model knows nothing of urgency or scope: the classifier never marks
/// an appeal urgent or out of scope (combine it with the rules in an <see cref="EnsembleClassifier"/> for that).</para>
/// <para>The classifier is immutable, safe for concurrent use, and never throws for any text.</para>
/// </remarks>
public sealed class TrainedClassifier : IAppealClassifier
{
    private readonly double _minConfidence;
    private readonly int _maxTerms;
    private readonly int _maxTextLength;
    private readonly Dictionary<TopicCode, string> _targets;

    /// <summary>Initializes a new instance of the <see cref="TrainedClassifier"/> class.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="options">The options; or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of its range.</exception>
    public TrainedClassifier(NaiveBayesModel model, TrainedClassifierOptions? options = null)
    {
        Throw.IfNull(model);
        options ??= new TrainedClassifierOptions();
        options.Validate(nameof(options));
        Model = model;
        _minConfidence = options.MinConfidence;
        _maxTerms = options.MaxTerms;
        _maxTextLength = options.MaxTextLength;
        _targets = model.Topics.ToDictionary(topic => topic, topic => "model:" + topic.Value);
    }

    /// <summary>Gets the model.</summary>
    public NaiveBayesModel Model { get; }

    /// <summary>Gets the probability below which the classifier abstains.</summary>
    public double MinConfidence => _minConfidence;

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
    /// <returns>The classification with the features that explain it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public AppealClassification Classify(string text)
    {
        Throw.IfNull(text);
        return Classify(text.AsSpan());
    }

    /// <summary>Classifies a text synchronously.</summary>
    /// <param name="text">The appeal's text, any length; only the first <see cref="TrainedClassifierOptions.MaxTextLength"/> characters are read.</param>
    /// <returns>The classification with the features that explain it.</returns>
    public AppealClassification Classify(ReadOnlySpan<char> text) => Classify(Predict(text));

    /// <summary>Runs the model on a text, reading at most <see cref="TrainedClassifierOptions.MaxTextLength"/> characters.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The model's prediction.</returns>
    internal NaiveBayesPrediction Predict(ReadOnlySpan<char> text) =>
        Model.Predict(text.Length > _maxTextLength ? text[.._maxTextLength] : text, _maxTerms);

    /// <summary>Turns a prediction of <see cref="Predict"/> into a classification.</summary>
    /// <param name="prediction">The prediction.</param>
    /// <returns>The classification.</returns>
    internal AppealClassification Classify(NaiveBayesPrediction prediction)
    {
        var terms = ToTerms(prediction);
        if (prediction.KnownFeatureCount == 0)
        {
            return new AppealClassification(TopicCode.Other, null, false, false, 0, terms, "abstained: the model knows none of the text's words.");
        }

        var probability = prediction.Probability;
        if (prediction.Topic == TopicCode.Other)
        {
            return new AppealClassification(
                TopicCode.Other, null, false, false, probability, terms,
                string.Create(CultureInfo.InvariantCulture, $"other: the model's best topic is 'other' (probability {probability:0.00})."));
        }

        if (probability < _minConfidence)
        {
            var second = prediction.Topics.Count > 1 ? prediction.Topics[1] : default;
            return new AppealClassification(
                TopicCode.Other, null, false, false, 1 - probability, terms,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"abstained: the model's best topic {prediction.Topic} has probability {probability:0.00}, below {_minConfidence:0.00} (next: {second.Topic} {second.Probability:0.00})."));
        }

        return new AppealClassification(prediction.Topic, prediction.Subtopic, false, false, probability, terms);
    }

    private MatchedTerm[] ToTerms(NaiveBayesPrediction prediction)
    {
        var contributions = prediction.Contributions;
        if (contributions.Count == 0)
        {
            return [];
        }

        var target = _targets.TryGetValue(prediction.Topic, out var cached) ? cached : "model:" + prediction.Topic.Value;
        var terms = new MatchedTerm[contributions.Count];
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = new MatchedTerm(contributions[i].Feature, target, contributions[i].Weight);
        }

        return terms;
    }
}
