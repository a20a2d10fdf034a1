namespace Mcu.Sdk.Classification;

/// <summary>What a <see cref="NaiveBayesModel"/> predicts for a text: every topic's probability, the best subtopic and the features behind it.</summary>
/// <remarks>Instances are immutable. Build them through the constructor; members may be added later.</remarks>
public sealed class NaiveBayesPrediction
{
    /// <summary>Initializes a new instance of the <see cref="NaiveBayesPrediction"/> class.</summary>
    /// <param name="topics">The topics with their probabilities, most probable first; at least one.</param>
    /// <param name="subtopic">The most probable subtopic of the best topic, or <see langword="null"/> when the model knows none for it.</param>
    /// <param name="subtopicProbability">The probability of <paramref name="subtopic"/> within the best topic, from 0 to 1.</param>
    /// <param name="featureCount">How many features the text has.</param>
    /// <param name="knownFeatureCount">How many of them the model knows.</param>
    /// <param name="contributions">The features that speak most for the best topic, strongest first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="topics"/> or <paramref name="contributions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="topics"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or <paramref name="subtopicProbability"/> is not from 0 to 1.</exception>
    public NaiveBayesPrediction(
        IReadOnlyList<TopicProbability> topics,
        string? subtopic,
        double subtopicProbability,
        int featureCount,
        int knownFeatureCount,
        IReadOnlyList<FeatureContribution> contributions)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(contributions);
        if (topics.Count == 0)
        {
            throw new ArgumentException("A prediction has at least one topic.", nameof(topics));
        }

        if (double.IsNaN(subtopicProbability) || subtopicProbability < 0 || subtopicProbability > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(subtopicProbability), subtopicProbability, "A probability is a number from 0 to 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegative(knownFeatureCount);
        Topics = topics;
        Subtopic = subtopic;
        SubtopicProbability = subtopicProbability;
        FeatureCount = featureCount;
        KnownFeatureCount = knownFeatureCount;
        Contributions = contributions;
    }

    /// <summary>Gets the topics with their probabilities, most probable first (ties in the model's topic order).</summary>
    public IReadOnlyList<TopicProbability> Topics { get; }

    /// <summary>Gets the most probable topic.</summary>
    public TopicCode Topic => Topics[0].Topic;

    /// <summary>Gets the probability of <see cref="Topic"/>, from 0 to 1.</summary>
    public double Probability => Topics[0].Probability;

    /// <summary>Gets the most probable subtopic of <see cref="Topic"/>, or <see langword="null"/> when the model knows none for it.</summary>
    public string? Subtopic { get; }

    /// <summary>Gets the probability of <see cref="Subtopic"/> within <see cref="Topic"/>, from 0 to 1 (0 without a subtopic).</summary>
    public double SubtopicProbability { get; }

    /// <summary>Gets how many features (stems and stem pairs) the text has.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets how many of the text's features the model knows; with none, the topics' probabilities are the priors.</summary>
    public int KnownFeatureCount { get; }

    /// <summary>Gets the features that speak most for <see cref="Topic"/>, strongest first.</summary>
    public IReadOnlyList<FeatureContribution> Contributions { get; }

    /// <summary>Returns the probability the model gives a topic.</summary>
    /// <param name="topic">The topic.</param>
    /// <returns>The probability, or 0 for a topic the model does not know.</returns>
    public double GetProbability(TopicCode topic)
    {
        foreach (var item in Topics)
        {
            if (item.Topic == topic)
            {
                return item.Probability;
            }
        }

        return 0;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{Topic}{(Subtopic is null ? string.Empty : "/" + Subtopic)} p={Probability:0.000} known={KnownFeatureCount}/{FeatureCount}");
}

/// <summary>A topic and the probability a model gives it.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Probability">The probability, from 0 to 1.</param>
public readonly record struct TopicProbability(TopicCode Topic, double Probability);

/// <summary>A feature of a text and how much it speaks for a topic.</summary>
/// <param name="Feature">The feature: a stem (<c>подъезд</c>) or two adjacent stems (<c>открыт люк</c>).</param>
/// <param name="Weight">
/// How much more likely the feature is under the topic than under an average topic, as a natural logarithm (times its
/// count in the text when the model counts repetitions).
/// </param>
public readonly record struct FeatureContribution(string Feature, double Weight);
