using System.Globalization;
using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Testing;

/// <summary>
/// A classifier driven by markers in the text, so that tests of a desk, a store or a channel do not depend on the lexicon:
/// <c>[topic:roads]</c> sets the topic (confidence 0.9), <c>[conf:0.3]</c> overrides the confidence, <c>[urgent]</c> marks it urgent,
/// <c>[oos]</c> out of scope. Without a topic marker the topic is the one given to the constructor (confidence 0.9), or
/// <c>other</c> with confidence 0.
/// </summary>
/// <remarks>Thread-safe and allocation-light; never throws for text without markers.</remarks>
public sealed class MarkerClassifier : IAppealClassifier
{
    private readonly TopicCode? _defaultTopic;

    /// <summary>Initializes a new instance of the <see cref="MarkerClassifier"/> class.</summary>
    /// <param name="defaultTopic">The topic of texts without a <c>[topic:…]</c> marker, or <see langword="null"/> for <c>other</c> with confidence 0.</param>
    public MarkerClassifier(TopicCode? defaultTopic = null) => _defaultTopic = defaultTopic;

    /// <inheritdoc/>
    /// <exception cref="FormatException">A <c>[topic:…]</c> or <c>[conf:…]</c> marker is malformed.</exception>
    public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var topic = _defaultTopic ?? TopicCode.Other;
        var confidence = _defaultTopic is null ? 0 : 0.9;
        if (Marker(text, "[topic:") is { } code)
        {
            topic = TopicCode.TryParse(code, out var parsed) ? parsed : throw new FormatException($"'{code}' is not a topic code.");
            confidence = 0.9;
        }

        if (Marker(text, "[conf:") is { } value)
        {
            confidence = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return ValueTask.FromResult(new AppealClassification(
            topic,
            null,
            text.Contains("[urgent]", StringComparison.Ordinal),
            text.Contains("[oos]", StringComparison.Ordinal),
            confidence,
            [new MatchedTerm("marker", topic.Value, 1)]));
    }

    private static string? Marker(string text, string prefix)
    {
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = text.IndexOf(']', start);
        return end < 0 ? throw new FormatException($"The marker {prefix}… has no closing bracket.") : text[(start + prefix.Length)..end];
    }
}
