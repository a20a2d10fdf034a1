using System.Globalization;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// A classifier that combines the rules of a <see cref="LexiconClassifier"/> with a <see cref="TrainedClassifier"/>
/// trained on the city's own history: the rules decide urgency and scope, the model breaks topic ties and covers what the
/// lexicon misses.
/// </summary>
/// <remarks>
/// <para>The decision, in order:</para>
/// <list type="number">
/// <item><description><b>Out of scope</b> and <b>urgent</b> are the rules' flags, always. An out-of-scope text is the
/// rules' result as it is.</description></item>
/// <item><description><b>Both choose a topic and agree</b>: that topic, with the confidence
/// <c>1 − (1 − rules) × (1 − model)</c>; the rules' subtopic, else the model's.</description></item>
/// <item><description><b>Both choose a topic and disagree</b>: the model wins only when its probability is at least
/// <see cref="EnsembleClassifierOptions.OverrideConfidence"/> and the rules' confidence is below
/// <see cref="EnsembleClassifierOptions.RulesFirmConfidence"/>; otherwise the rules win. The model's best topic
/// counts here even when its probability is below the model's own abstention threshold.</description></item>
/// <item><description><b>The rules abstain</b>: the model's topic (never <c>other</c>) when its probability reaches
/// <see cref="EnsembleClassifierOptions.TieBreakConfidence"/> and some rule term voted for it (a tie the model breaks), or
/// <see cref="EnsembleClassifierOptions.CoverConfidence"/> otherwise (a text the lexicon misses). Else the ensemble
/// abstains too.</description></item>
/// <item><description><b>The rules decide <c>other</c></b> (a thank-you, or terms of the topic <c>other</c>): as the
/// rules say, unless the model overrules them as in a disagreement.</description></item>
/// </list>
/// <para>The terms are the rules' terms followed by the model's (target <c>model:&lt;topic&gt;</c>); the reason starts with
/// <c>rules</c>, <c>model</c>, <c>rules and model</c> or <c>abstained</c> and says who decided. The classifier is
/// immutable, safe for concurrent use, and never throws for any text.</para>
/// </remarks>
public sealed class EnsembleClassifier : IAppealClassifier
{
    private readonly double _coverConfidence;
    private readonly double _tieBreakConfidence;
    private readonly double _overrideConfidence;
    private readonly double _rulesFirmConfidence;

    /// <summary>Initializes a new instance of the <see cref="EnsembleClassifier"/> class.</summary>
    /// <param name="rules">The rule-based classifier.</param>
    /// <param name="model">The trained classifier.</param>
    /// <param name="options">The options; or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or <paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of its range.</exception>
    public EnsembleClassifier(LexiconClassifier rules, TrainedClassifier model, EnsembleClassifierOptions? options = null)
    {
        Throw.IfNull(rules);
        Throw.IfNull(model);
        options ??= new EnsembleClassifierOptions();
        options.Validate(nameof(options));
        Rules = rules;
        Model = model;
        _coverConfidence = options.CoverConfidence;
        _tieBreakConfidence = options.TieBreakConfidence;
        _overrideConfidence = options.OverrideConfidence;
        _rulesFirmConfidence = options.RulesFirmConfidence;
    }

    /// <summary>Gets the rule-based classifier.</summary>
    public LexiconClassifier Rules { get; }

    /// <summary>Gets the trained classifier.</summary>
    public TrainedClassifier Model { get; }

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
    /// <returns>The classification with the terms of both classifiers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public AppealClassification Classify(string text)
    {
        Throw.IfNull(text);
        return Classify(text.AsSpan());
    }

    /// <summary>Classifies a text synchronously.</summary>
    /// <param name="text">The appeal's text, any length.</param>
    /// <returns>The classification with the terms of both classifiers.</returns>
    public AppealClassification Classify(ReadOnlySpan<char> text)
    {
        var rules = Rules.Classify(text);
        if (rules.IsOutOfScope)
        {
            return With(rules, rules.Topic, rules.Subtopic, rules.Confidence, rules.Terms, "rules: " + rules.Reason);
        }

        var prediction = Model.Predict(text);
        var model = Model.Classify(prediction);
        var terms = Concat(rules.Terms, model.Terms);
        var modelTopic = prediction.KnownFeatureCount == 0 ? TopicCode.Other : prediction.Topic;
        var p = prediction.Probability;
        var c = CultureInfo.InvariantCulture;

        if (ClassifierEvaluation.IsAbstention(rules))
        {
            if (modelTopic != TopicCode.Other)
            {
                var voted = RulesVotedFor(rules, modelTopic);
                var needed = voted ? _tieBreakConfidence : _coverConfidence;
                if (p >= needed)
                {
                    var why = voted ? "broke the rules' tie" : "covered what the rules missed";
                    return With(
                        rules, modelTopic, prediction.Subtopic, p, terms,
                        string.Create(c, $"model: {why} with {modelTopic} (probability {p:0.00}); rules {rules.Reason}"));
                }
            }

            return With(
                rules, TopicCode.Other, null, rules.Confidence, terms,
                string.Create(c, $"abstained: the rules abstained ({rules.Reason}) and the model's best topic {prediction.Topic} (probability {p:0.00}) is not enough."));
        }

        if (rules.Topic == modelTopic)
        {
            var confidence = 1 - ((1 - rules.Confidence) * (1 - p));
            return With(
                rules, rules.Topic, rules.Subtopic ?? prediction.Subtopic, confidence, terms,
                string.Create(c, $"rules and model agree on {rules.Topic} (rules {rules.Confidence:0.00}, model {p:0.00})."));
        }

        if (modelTopic != TopicCode.Other && p >= _overrideConfidence && rules.Confidence < _rulesFirmConfidence)
        {
            return With(
                rules, modelTopic, prediction.Subtopic, p, terms,
                string.Create(c, $"model: overruled the rules' {rules.Topic} ({rules.Confidence:0.00}) with {modelTopic} (probability {p:0.00})."));
        }

        return With(
            rules, rules.Topic, rules.Subtopic, rules.Confidence, terms,
            string.Create(c, $"rules: {rules.Topic} ({rules.Confidence:0.00}{(rules.Reason is null ? string.Empty : "; " + rules.Reason)}); the model preferred {modelTopic} ({p:0.00})."));
    }

    // Whether a topic term of the rules voted for the topic (targets "topic" or "topic/subtopic").
    private static bool RulesVotedFor(AppealClassification rules, TopicCode topic)
    {
        var code = topic.Value;
        foreach (var term in rules.Terms)
        {
            var target = term.Target;
            if (term.Weight > 0 && target.StartsWith(code, StringComparison.Ordinal)
                && (target.Length == code.Length || target[code.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }

    private static MatchedTerm[] Concat(IReadOnlyList<MatchedTerm> first, IReadOnlyList<MatchedTerm> second)
    {
        var terms = new MatchedTerm[first.Count + second.Count];
        for (var i = 0; i < first.Count; i++)
        {
            terms[i] = first[i];
        }

        for (var i = 0; i < second.Count; i++)
        {
            terms[first.Count + i] = second[i];
        }

        return terms;
    }

    private static AppealClassification With(
        AppealClassification rules, TopicCode topic, string? subtopic, double confidence, IReadOnlyList<MatchedTerm> terms, string reason) =>
        new(topic, subtopic, rules.IsUrgent, rules.IsOutOfScope, Math.Clamp(confidence, 0, 1), terms, reason);
}
