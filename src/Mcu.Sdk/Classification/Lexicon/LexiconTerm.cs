using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// One term of a <see cref="Lexicon"/>: a word or phrase written in ordinary Russian, what it votes for, and how strongly.
/// </summary>
/// <remarks>
/// <para>
/// The text is one or more words separated by spaces, such as <c>открытый люк</c>. Each plain word is reduced to its stem by
/// <see cref="Text.RussianStemmer"/> (after the lexicon's stem overrides), so any form of the word matches. A word written
/// as <c>stem:вод</c> is used as a stem as it is, and a word written as <c>word:убрали</c> matches only that exact word form.
/// See <c>docs/classifier.md</c> for the full format.
/// </para>
/// <para>
/// A weight of <c>0</c> marks a removal: when the lexicon is merged into another, the term with the same target and the same
/// stems is removed from it.
/// </para>
/// </remarks>
public sealed record LexiconTerm
{
    /// <summary>The longest term text accepted, in characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The largest absolute weight accepted.</summary>
    public const double MaxWeight = 100;

    /// <summary>Initializes a new instance of the <see cref="LexiconTerm"/> class.</summary>
    /// <param name="text">The term as people write it, such as <c>прорвало трубу</c>.</param>
    /// <param name="target">
    /// What the term votes for: a topic (<c>roads</c>), a subtopic (<c>roads/potholes</c>), or one of the
    /// <see cref="LexiconTargets"/> (<c>urgent</c>, <c>out-of-scope</c>, <c>negation</c>, <c>gratitude</c>).
    /// </param>
    /// <param name="weight">
    /// The weight, from -100 to 100; <c>0</c> marks a removal. Negative weights count against the target; cues
    /// (<c>negation</c>, <c>gratitude</c>, <c>complaint</c>, <c>location</c>, <c>focus</c>) take no negative weights.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="text"/> is empty, white space or longer than <see cref="MaxTextLength"/>; or <paramref name="target"/>
    /// is not a valid target.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is not a finite number within the allowed range.</exception>
    public LexiconTerm(string text, string target, double weight)
    {
        Throw.IfNull(text);
        Throw.IfNull(target);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A lexicon term is empty.", nameof(text));
        }

        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException(
                $"The lexicon term '{text[..40]}…' is {text.Length} characters long; the limit is {MaxTextLength}.", nameof(text));
        }

        if (!LexiconTargets.TryNormalize(target, out var normalizedTarget, out var error))
        {
            throw new ArgumentException(error, nameof(target));
        }

        if (!double.IsFinite(weight) || Math.Abs(weight) > MaxWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"The weight of the term '{text}' must be a number from -{MaxWeight} to {MaxWeight}.");
        }

        if (weight < 0 && LexiconTargets.IsCue(normalizedTarget))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"The {normalizedTarget} cue '{text}' cannot have a negative weight.");
        }

        Text = text.Trim();
        Target = normalizedTarget;
        Weight = weight;
    }

    /// <summary>Gets the term as written, such as <c>открытый люк</c>.</summary>
    public string Text { get; }

    /// <summary>Gets what the term votes for, in lower case: <c>roads</c>, <c>roads/potholes</c>, <c>urgent</c> and so on.</summary>
    public string Target { get; }

    /// <summary>Gets the weight; <c>0</c> marks a removal.</summary>
    public double Weight { get; }

    /// <summary>Gets a value indicating whether this term marks a removal (its weight is 0).</summary>
    public bool IsRemoval => Weight == 0;
}

/// <summary>
/// The targets a <see cref="LexiconTerm"/> or a <see cref="MatchedTerm"/> can have besides topics and subtopics.
/// </summary>
public static class LexiconTargets
{
    /// <summary>The term is an urgency cue: a danger that needs an immediate reaction (<c>открытый люк</c>).</summary>
    public const string Urgent = "urgent";

    /// <summary>The term is an out-of-scope cue: ads, requests for recommendations, job search (<c>посоветуйте мастера</c>).</summary>
    public const string OutOfScope = "out-of-scope";

    /// <summary>
    /// The term is a negation cue (<c>уже убрали</c>, <c>не прошу</c>): the sentence it stands in describes no current problem,
    /// so its topic terms are damped and its urgency cues ignored.
    /// </summary>
    public const string Negation = "negation";

    /// <summary>
    /// The term is a gratitude cue (<c>спасибо за</c>, <c>благодарю</c>): the part of the sentence it stands in is a thank-you,
    /// so its topic terms are damped and its urgency cues ignored.
    /// </summary>
    public const string Gratitude = "gratitude";

    /// <summary>
    /// The term is a complaint cue (<c>не</c>, <c>нет</c>, <c>почему</c>, <c>прошу</c>): a text with a gratitude cue and no
    /// complaint cue is a pure thank-you, so none of its topic terms route it and none of its urgency cues count.
    /// </summary>
    public const string Complaint = "complaint";

    /// <summary>
    /// The term is a location cue (<c>возле</c>, <c>у</c>, <c>около</c>): a topic term right after it names where the problem
    /// is (<c>яма возле школы</c>) rather than what it is, so it counts less.
    /// </summary>
    public const string Location = "location";

    /// <summary>
    /// The term is a focus cue: a request verb (<c>почините</c>, <c>уберите</c>, <c>вывезите</c>) or a problem predicate
    /// (<c>не работает</c>, <c>течет</c>, <c>сломан</c>). The topic terms next to it name what the citizen asks to fix, so
    /// they weigh more than the places and circumstances mentioned around them.
    /// </summary>
    public const string Focus = "focus";

    /// <summary>
    /// Gets a value indicating whether a target is a cue (<see cref="Negation"/>, <see cref="Gratitude"/>,
    /// <see cref="Complaint"/>, <see cref="Location"/> or <see cref="Focus"/>), which modifies other terms instead of voting.
    /// </summary>
    /// <param name="target">The target in lower case.</param>
    /// <returns><see langword="true"/> for <c>negation</c>, <c>gratitude</c>, <c>complaint</c>, <c>location</c> and <c>focus</c>.</returns>
    public static bool IsCue(string? target) =>
        string.Equals(target, Negation, StringComparison.Ordinal) || string.Equals(target, Gratitude, StringComparison.Ordinal)
        || string.Equals(target, Complaint, StringComparison.Ordinal) || string.Equals(target, Location, StringComparison.Ordinal)
        || string.Equals(target, Focus, StringComparison.Ordinal);

    /// <summary>Gets a value indicating whether a target is one of the special targets rather than a topic.</summary>
    /// <param name="target">The target in lower case.</param>
    /// <returns><see langword="true"/> for <c>urgent</c>, <c>out-of-scope</c> and the cues.</returns>
    public static bool IsSpecial(string? target) =>
        IsCue(target) || string.Equals(target, Urgent, StringComparison.Ordinal) || string.Equals(target, OutOfScope, StringComparison.Ordinal);

    /// <summary>Checks a target and brings it to lower case.</summary>
    internal static bool TryNormalize(string target, out string normalized, out string error)
    {
        normalized = target.Trim().ToLowerInvariant();
        error = string.Empty;
        if (IsSpecial(normalized))
        {
            return true;
        }

        var slash = normalized.IndexOf('/', StringComparison.Ordinal);
        var topic = slash < 0 ? normalized.AsSpan() : normalized.AsSpan(0, slash);
        if (!IsCode(topic))
        {
            error = $"'{target}' is not a valid target: expected a topic code of ASCII letters, digits and hyphens (such as 'roads'), "
                + $"'topic/subtopic' (such as 'roads/potholes'), or one of '{Urgent}', '{OutOfScope}', '{Negation}', '{Gratitude}', '{Complaint}', '{Location}', '{Focus}'.";
            return false;
        }

        if (slash >= 0 && !IsCode(normalized.AsSpan(slash + 1)))
        {
            error = $"'{target}' is not a valid target: the subtopic code after '/' must be ASCII letters, digits and hyphens (such as 'roads/potholes').";
            return false;
        }

        return true;
    }

    /// <summary>Returns whether a text is a topic or subtopic code: ASCII letters, digits and hyphens.</summary>
    internal static bool IsCode(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
