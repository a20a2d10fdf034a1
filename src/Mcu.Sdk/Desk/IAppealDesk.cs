using Mcu.Sdk.Channels;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk;

/// <summary>What the desk did with an inbound message.</summary>
public enum IngestOutcome
{
    /// <summary>A new appeal was opened.</summary>
    Created = 0,

    /// <summary>The message joined the open appeal of its conversation.</summary>
    FollowUp = 1,

    /// <summary>The message was already accepted; nothing changed.</summary>
    Duplicate = 2,
}

/// <summary>The result of <see cref="IInboundMessageSink.IngestAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Appeal">The appeal that holds the message.</param>
public sealed record IngestResult(IngestOutcome Outcome, Appeal Appeal);

/// <summary>A unit's answer to the citizen.</summary>
/// <param name="Text">The answer's text (the desk wraps it in the reply template).</param>
/// <param name="IsFinal"><see langword="true"/> for the final answer; <see langword="false"/> for an interim one.</param>
public sealed record UnitAnswer(string Text, bool IsFinal)
{
    /// <summary>Gets who answers: a unit id or a specialist's login; the appeal's unit when <see langword="null"/>.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets attachments for the citizen (photos of the repaired road).</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
}

/// <summary>An extension of an appeal's resolution term (59-ФЗ art. 12 part 2: once, by at most 30 days, with a notice to the citizen).</summary>
/// <param name="Duration">How much longer: whole days for a term counted in calendar days.</param>
/// <param name="Reason">Why (recorded in the history and quoted in the notice).</param>
public sealed record DeadlineExtension(TimeSpan Duration, string Reason)
{
    /// <summary>Gets a value indicating whether the citizen is notified; a policy that requires the notice refuses an extension without it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyCitizen { get; init; } = true;

    /// <summary>Gets the notice's text, or <see langword="null"/> for the <c>Sla:Notices:Extension</c> template.</summary>
    public string? NoticeText { get; init; }
}

/// <summary>Forwarding of an appeal to the competent body (59-ФЗ art. 8 part 3: within 7 days of registration, with a notice to the citizen).</summary>
/// <param name="Recipient">The competent body, as the citizen reads it (for example «Государственная жилищная инспекция края»).</param>
public sealed record AppealForwarding(string Recipient)
{
    /// <summary>Gets a value indicating whether the citizen is notified; a policy that requires the notice refuses forwarding without it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NotifyCitizen { get; init; } = true;

    /// <summary>Gets the notice's text, or <see langword="null"/> for the <c>Sla:Notices:Forwarding</c> template.</summary>
    public string? NoticeText { get; init; }
}

/// <summary>
/// The desk: the facade a host calls. It accepts inbound messages, classifies, routes and clocks them, and lets units
/// answer, close, reject and reopen appeals. Every change is stored with its replies in one commit.
/// </summary>
/// <remarks>Thread-safe. Methods that change an appeal retry on optimistic-concurrency conflicts.</remarks>
public interface IAppealDesk : IInboundMessageSink
{
    /// <summary>Gets an appeal.</summary>
    /// <param name="appealId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The appeal, or <see langword="null"/>.</returns>
    ValueTask<Appeal?> GetAsync(Guid appealId, CancellationToken cancellationToken = default);

    /// <summary>Gets the replies of an appeal with their delivery state.</summary>
    /// <param name="appealId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The outbox messages.</returns>
    ValueTask<IReadOnlyList<OutboxMessage>> GetRepliesAsync(Guid appealId, CancellationToken cancellationToken = default);

    /// <summary>Commits a unit's interim or final answer and queues it for the citizen, in the same thread.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="answer">The answer.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    /// <exception cref="AppealNotFoundException">No such appeal.</exception>
    /// <exception cref="InvalidAppealTransitionException">The appeal cannot be answered in its status.</exception>
    ValueTask<Appeal> AnswerAsync(Guid appealId, UnitAnswer answer, CancellationToken cancellationToken = default);

    /// <summary>Routes an appeal to another unit.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="unitId">The unit.</param>
    /// <param name="actor">Who re-routes it.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    ValueTask<Appeal> AssignAsync(Guid appealId, string unitId, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the citizen for a clarification; the SLA clocks stop until the citizen answers (or the unit answers anyway). On resumption each
    /// running clock moves by the pause in its own measure: working time for business-hour clocks, whole days for terms in days.
    /// </summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="question">The question.</param>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    ValueTask<Appeal> RequestClarificationAsync(Guid appealId, string question, string actor, CancellationToken cancellationToken = default);

    /// <summary>Closes an answered appeal.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="actor">Who closes it.</param>
    /// <param name="reason">An optional note.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    ValueTask<Appeal> CloseAsync(Guid appealId, string actor, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Rejects an appeal as out of scope and queues the polite refusal.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="actor">Who rejects it.</param>
    /// <param name="reason">An optional note for the history.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    ValueTask<Appeal> RejectAsync(Guid appealId, string actor, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Reopens an answered, closed or rejected appeal.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="actor">Who reopens it (<c>citizen</c> when the citizen disputes the answer).</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    ValueTask<Appeal> ReopenAsync(Guid appealId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers an appeal (59-ФЗ art. 8 part 2) under a policy that registers by hand: meets its registration clock and restarts the clocks
    /// counted from registration (the answer within 30 days of registration).
    /// </summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="actor">Who registers it.</param>
    /// <param name="registrationNumber">The number in the body's registry, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    /// <exception cref="AppealNotFoundException">No such appeal.</exception>
    /// <exception cref="InvalidAppealTransitionException">The appeal is closed or rejected.</exception>
    /// <exception cref="Sla.SlaOperationRefusedException">The appeal is registered already (<see cref="Sla.SlaRefusalReason.AlreadyRegistered"/>).</exception>
    ValueTask<Appeal> RegisterAsync(Guid appealId, string actor, string? registrationNumber = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forwards an appeal outside the body's competence to the competent body (59-ФЗ art. 8 part 3): queues the notice to the citizen, meets
    /// the forwarding clock (on time or late), stops the other clocks and closes the appeal.
    /// </summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="forwarding">Where to and the notice.</param>
    /// <param name="actor">Who forwards it.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    /// <exception cref="AppealNotFoundException">No such appeal.</exception>
    /// <exception cref="InvalidAppealTransitionException">The appeal is closed or rejected.</exception>
    /// <exception cref="Sla.SlaOperationRefusedException">The policy requires a notice and <see cref="AppealForwarding.NotifyCitizen"/> is <see langword="false"/>.</exception>
    ValueTask<Appeal> ForwardAsync(Guid appealId, AppealForwarding forwarding, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the resolution term (59-ФЗ art. 12 part 2) and queues the notice to the citizen. The engine refuses what the appeal's policy
    /// does not allow: any extension under a policy without extensions, a second one under 59-ФЗ, a longer one, one without the notice,
    /// one after the term expired.
    /// </summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="extension">How long, why, and the notice.</param>
    /// <param name="actor">Who extends it.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    /// <exception cref="AppealNotFoundException">No such appeal.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive.</exception>
    /// <exception cref="ArgumentException">The term counts calendar days and the duration is not whole days.</exception>
    /// <exception cref="Sla.SlaOperationRefusedException">The policy does not allow the extension (see <see cref="Sla.SlaOperationRefusedException.Reason"/>).</exception>
    ValueTask<Appeal> ExtendAsync(Guid appealId, DeadlineExtension extension, string actor, CancellationToken cancellationToken = default);

    /// <summary>Records the citizen's rating (1–5) of the final answer; a low rating reopens the appeal.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="rating">The rating, from 1 to 5.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal.</returns>
    ValueTask<Appeal> RateAsync(Guid appealId, int rating, CancellationToken cancellationToken = default);
}

/// <summary>Options of the desk, bindable from the <c>Mcu:Desk</c> configuration section.</summary>
public sealed class DeskOptions
{
    /// <summary>Gets or sets the longest text kept of one inbound message; longer texts are truncated with a history note.</summary>
    /// <value>From 100 to 1,000,000 characters. The default value is 20,000.</value>
    public int MaxTextLength { get; set; } = 20_000;

    /// <summary>Gets or sets a value indicating whether a new appeal gets the acknowledgement with its number.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SendAcknowledgement { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether appeals found by monitoring also get the acknowledgement (as a comment).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AcknowledgeMonitoringFindings { get; set; }

    /// <summary>Gets or sets how long after the citizen's last message a follow-up still joins the open appeal, or <see langword="null"/> for as long as it is open. An appeal waiting for the citizen's clarification always takes the answer.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? FollowUpWindow { get; set; }

    /// <summary>Gets or sets the highest rating that reopens an answered appeal.</summary>
    /// <value>From 0 (never) to 5. The default value is 2.</value>
    public int ReopenRatingThreshold { get; set; } = 2;

    /// <summary>Gets or sets how many times a change is retried after an optimistic-concurrency conflict.</summary>
    /// <value>From 1 to 100. The default value is 8.</value>
    public int ConcurrencyRetries { get; set; } = 8;
}
