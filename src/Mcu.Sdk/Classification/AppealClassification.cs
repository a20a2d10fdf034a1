namespace Mcu.Sdk.Classification;

/// <summary>
/// What a classifier decided about an appeal's text, and why.
/// </summary>
/// <remarks>Instances are immutable. Build them through the constructor; members may be added later.</remarks>
public sealed class AppealClassification
{
    /// <summary>Initializes a new instance of the <see cref="AppealClassification"/> class.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="subtopic">The subtopic code within the topic, such as <c>potholes</c>, or <see langword="null"/>.</param>
    /// <param name="isUrgent">Whether the appeal describes a danger that needs an immediate reaction.</param>
    /// <param name="isOutOfScope">Whether the request is outside the centre's competence (ads, recommendations, job search).</param>
    /// <param name="confidence">The confidence in the topic, from 0 to 1.</param>
    /// <param name="terms">The matched terms that explain the decision.</param>
    /// <param name="reason">A human-readable reason, for example why the classifier abstained; or <see langword="null"/>.</param>
    public AppealClassification(
        TopicCode topic,
        string? subtopic,
        bool isUrgent,
        bool isOutOfScope,
        double confidence,
        IReadOnlyList<MatchedTerm>? terms = null,
        string? reason = null)
    {
        if (double.IsNaN(confidence) || confidence < 0 || confidence > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence is a number from 0 to 1.");
        }

        Topic = topic;
        Subtopic = string.IsNullOrWhiteSpace(subtopic) ? null : subtopic;
        IsUrgent = isUrgent;
        IsOutOfScope = isOutOfScope;
        Confidence = confidence;
        Terms = terms ?? [];
        Reason = reason;
    }

    /// <summary>Gets a classification that knows nothing: topic <c>other</c>, zero confidence.</summary>
    public static AppealClassification Unknown { get; } = new(TopicCode.Other, null, false, false, 0, [], "No classifier decision.");

    /// <summary>Gets the topic.</summary>
    public TopicCode Topic { get; }

    /// <summary>Gets the subtopic code within <see cref="Topic"/>, or <see langword="null"/>.</summary>
    public string? Subtopic { get; }

    /// <summary>Gets a value indicating whether the appeal needs an immediate reaction.</summary>
    public bool IsUrgent { get; }

    /// <summary>Gets a value indicating whether the request is outside the centre's competence.</summary>
    public bool IsOutOfScope { get; }

    /// <summary>Gets the confidence in <see cref="Topic"/>, from 0 to 1.</summary>
    public double Confidence { get; }

    /// <summary>Gets the matched terms that explain the decision.</summary>
    public IReadOnlyList<MatchedTerm> Terms { get; }

    /// <summary>Gets a human-readable reason (for example why the classifier abstained), or <see langword="null"/>.</summary>
    public string? Reason { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Topic}{(Subtopic is null ? string.Empty : "/" + Subtopic)} confidence={Confidence:0.00}{(IsUrgent ? " urgent" : string.Empty)}{(IsOutOfScope ? " out-of-scope" : string.Empty)}";
}

/// <summary>
/// One term of the lexicon (or feature of a model) that matched an appeal's text.
/// </summary>
/// <param name="Term">The term as written in the lexicon, such as <c>открытый люк</c>.</param>
/// <param name="Target">What the term votes for: a topic (<c>roads</c>), a subtopic (<c>roads/manholes</c>), <c>urgent</c>, <c>out-of-scope</c>, or a modifier such as <c>negation</c>.</param>
/// <param name="Weight">The weight the term contributed.</param>
public readonly record struct MatchedTerm(string Term, string Target, double Weight);
