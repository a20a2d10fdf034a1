namespace Mcu.Sdk.Classification;

/// <summary>
/// Decides an appeal's topic, subtopic, urgency and scope from its text.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use and must not throw for any text (empty, huge, emoji only):
/// text they cannot judge gets topic <c>other</c> with a reason. Cancellation is honoured by implementations that do I/O.
/// </remarks>
public interface IAppealClassifier
{
    /// <summary>Classifies a text.</summary>
    /// <param name="text">The appeal's text (citizen's words, any length).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The classification with the matched terms that explain it.</returns>
    ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default);
}
