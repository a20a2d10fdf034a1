namespace Mcu.Sdk.Classification;

/// <summary>
/// Options of <see cref="LexiconClassifier"/>: which lexicons to load and the thresholds of its decisions.
/// </summary>
/// <remarks>
/// A plain object that binds from configuration (for example a <c>"Mcu:Classifier"</c> section). The classifier copies
/// the values when it is created and checks them then; later changes have no effect on it.
/// </remarks>
public sealed class LexiconClassifierOptions
{
    /// <summary>Gets or sets a value indicating whether the SDK's <see cref="Lexicon.Default"/> is the base lexicon.</summary>
    /// <value>The default value is <see langword="true"/>. When <see langword="false"/>, only <see cref="LexiconPaths"/> are used.</value>
    public bool UseDefaultLexicon { get; set; } = true;

    /// <summary>
    /// Gets the paths of the city's own lexicon JSON files, merged in this order over the default lexicon: their terms add to,
    /// override (same stems, new weight) or remove (weight <c>0</c>) the default ones.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> LexiconPaths { get; } = [];

    /// <summary>
    /// Gets or sets the lowest score the best topic needs; below it the classifier abstains and answers <c>other</c>, with the
    /// reason in <see cref="AppealClassification.Reason"/>.
    /// </summary>
    /// <value>From 0 to 100. The default value is 1.5 (a single clear word such as <c>яма</c> is enough).</value>
    public double AbstainThreshold { get; set; } = 1.5;

    /// <summary>
    /// Gets or sets the lowest confidence the best topic needs; below it the classifier abstains and answers <c>other</c>.
    /// Confidence grows with the best topic's score and with its lead over the second best.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.05 (abstains only on near ties).</value>
    public double MinConfidence { get; set; } = 0.05;

    /// <summary>Gets or sets the score urgency cues need for the appeal to be marked urgent.</summary>
    /// <value>From 0.01 to 100. The default value is 2.</value>
    public double UrgentThreshold { get; set; } = 2;

    /// <summary>Gets or sets the score out-of-scope cues need for the appeal to be marked out of scope.</summary>
    /// <value>From 0.01 to 100. The default value is 2.</value>
    public double OutOfScopeThreshold { get; set; } = 2;

    /// <summary>
    /// Gets or sets the factor applied to topic terms in a sentence with a negation cue (<c>уже убрали</c>, <c>не прошу</c>).
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.2.</value>
    public double NegationFactor { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets the factor applied to topic terms in the part of a sentence (up to a comma) with a gratitude cue
    /// (<c>спасибо за ремонт дороги</c>).
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.3.</value>
    public double GratitudeFactor { get; set; } = 0.3;

    /// <summary>
    /// Gets or sets the factor applied to a topic term right after a location cue (<c>яма возле школы</c>: the school is
    /// where, not what).
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.5.</value>
    public double LocationFactor { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets how much more a topic term weighs when it stands at the very start of the text; the boost fades out
    /// over the first twelve words (what people name first is usually what they write about).
    /// </summary>
    /// <value>From 0 (no boost) to 2. The default value is 0.5: a term in the first word counts 1.5 times.</value>
    public double EarlyMentionBoost { get; set; } = 0.5;

    /// <summary>Gets or sets the number of characters read from the start of a text; the rest of a longer text is ignored.</summary>
    /// <value>From 100 to 1,000,000. The default value is 20,000.</value>
    public int MaxTextLength { get; set; } = 20_000;
}
