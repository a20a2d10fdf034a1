using System.Globalization;
using System.Text.Json.Serialization;
using Mcu.Sdk.Classification;

namespace Mcu.Sdk;

/// <summary>One of the citizen's messages that make up an appeal: the first one and each follow-up.</summary>
/// <param name="ExternalId">The channel's id of the message (deduplicates replays).</param>
/// <param name="Text">The text.</param>
/// <param name="ReceivedAt">When it was received.</param>
public sealed record AppealMessage(string ExternalId, string Text, DateTimeOffset ReceivedAt)
{
    /// <summary>Gets the message's attachments.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Gets the shared location, if any.</summary>
    public GeoLocation? Location { get; init; }
}

/// <summary>What kind of entry a history line is.</summary>
public enum AppealHistoryKind
{
    /// <summary>The appeal was accepted.</summary>
    Accepted = 0,

    /// <summary>The classifier decided the topic.</summary>
    Classified = 1,

    /// <summary>The appeal was routed (or re-routed) to a unit.</summary>
    Routed = 2,

    /// <summary>The status changed.</summary>
    StatusChanged = 3,

    /// <summary>The citizen sent a follow-up.</summary>
    FollowUp = 4,

    /// <summary>A reply was queued in the outbox.</summary>
    ReplyQueued = 5,

    /// <summary>A reply was delivered or failed.</summary>
    ReplyDelivery = 6,

    /// <summary>SLA deadlines were set or changed.</summary>
    Deadlines = 7,

    /// <summary>An SLA warning, breach or escalation step was raised.</summary>
    Sla = 8,

    /// <summary>A note by a specialist.</summary>
    Note = 9,

    /// <summary>The SLA clocks were paused or resumed.</summary>
    Clock = 10,

    /// <summary>The citizen rated the answer.</summary>
    Rating = 11,
}

/// <summary>An append-only line of an appeal's history.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Description">A short description in English, for specialists and logs (no personal data).</param>
/// <param name="Actor">Who did it: <c>system</c>, a unit id, a specialist's login, <c>citizen</c>.</param>
public sealed record AppealHistoryEntry(DateTimeOffset At, AppealHistoryKind Kind, string Description, string Actor = "system");

/// <summary>The kind of a reply to the citizen.</summary>
public enum ReplyKind
{
    /// <summary>The acknowledgement with the appeal number.</summary>
    Acknowledgement = 0,

    /// <summary>An interim answer: the problem is known and who is solving it.</summary>
    Interim = 1,

    /// <summary>The final answer.</summary>
    Final = 2,

    /// <summary>The polite refusal for an out-of-scope request.</summary>
    Refusal = 3,

    /// <summary>A question asking the citizen for a clarification.</summary>
    Clarification = 4,

    /// <summary>Any other notice (extension of the term, forwarding, reopening).</summary>
    Notice = 5,
}

/// <summary>A reply of the appeal as recorded on the appeal (its delivery is tracked by the outbox).</summary>
/// <param name="OutboxId">The id of the outbox message that delivers it.</param>
/// <param name="Kind">The kind of reply.</param>
/// <param name="Text">The text.</param>
/// <param name="CreatedAt">When it was committed.</param>
/// <param name="Actor">Who wrote it: a unit id or <c>system</c>.</param>
public sealed record AppealReply(Guid OutboxId, ReplyKind Kind, string Text, DateTimeOffset CreatedAt, string Actor);

/// <summary>The SLA deadlines of an appeal: its clocks (<see cref="Timers"/>) and, for convenience, the two main deadlines.</summary>
/// <param name="FirstAnswerDue">
/// When the first answer is due: the due time of the <see cref="SlaTimerKind.FirstAnswer"/> clock, or of the
/// <see cref="SlaTimerKind.Resolution"/> clock when the policy has no first-answer clock (the legal regime).
/// </param>
/// <param name="ResolutionDue">
/// When the final answer is due: the due time of the <see cref="SlaTimerKind.Resolution"/> clock, or of the
/// <see cref="SlaTimerKind.FirstAnswer"/> clock when the policy has no resolution clock.
/// </param>
/// <param name="PolicyName">The name of the SLA policy (profile) that set them, for example <c>operational</c> or <c>legal-59fz</c>.</param>
/// <remarks>
/// The SLA engine keeps <paramref name="FirstAnswerDue"/> and <paramref name="ResolutionDue"/> equal to the due times of the
/// corresponding clocks when a pause, a registration or an extension moves them. Deadlines created by a custom
/// <c>ISlaPolicy</c> without <see cref="Timers"/> are read as two around-the-clock clocks counted from receipt.
/// </remarks>
public sealed record SlaDeadlines(DateTimeOffset FirstAnswerDue, DateTimeOffset ResolutionDue, string PolicyName)
{
    /// <summary>Gets the clocks of the appeal, in the order they were started; empty for deadlines of a custom policy.</summary>
    public IReadOnlyList<SlaTimer> Timers { get; init; } = [];

    /// <summary>Gets the name of the rule that chose the policy, or <see langword="null"/> when no rule matched (the default policy).</summary>
    public string? RuleName { get; init; }

    /// <summary>Gets a value indicating whether the urgent targets of the policy apply.</summary>
    public bool IsUrgent { get; init; }

    /// <summary>Compares deadlines by value, the clocks included (element by element).</summary>
    /// <param name="other">The other deadlines.</param>
    /// <returns><see langword="true"/> when every value and every clock is equal.</returns>
    public bool Equals(SlaDeadlines? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (FirstAnswerDue.Equals(other.FirstAnswerDue)
                && ResolutionDue.Equals(other.ResolutionDue)
                && string.Equals(PolicyName, other.PolicyName, StringComparison.Ordinal)
                && string.Equals(RuleName, other.RuleName, StringComparison.Ordinal)
                && IsUrgent == other.IsUrgent
                && Timers.SequenceEqual(other.Timers)));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(FirstAnswerDue, ResolutionDue, StringComparer.Ordinal.GetHashCode(PolicyName ?? string.Empty), IsUrgent, Timers.Count);

    /// <summary>Gets the most recently started clock of a kind.</summary>
    /// <param name="kind">The kind of clock.</param>
    /// <returns>The clock, or <see langword="null"/> when the appeal has none of that kind.</returns>
    public SlaTimer? GetTimer(SlaTimerKind kind)
    {
        for (var i = Timers.Count - 1; i >= 0; i--)
        {
            if (Timers[i].Kind == kind)
            {
                return Timers[i];
            }
        }

        return null;
    }

    /// <summary>Returns deadlines with other clocks, keeping <see cref="FirstAnswerDue"/> and <see cref="ResolutionDue"/> in step with them.</summary>
    /// <param name="timers">The clocks.</param>
    /// <returns>The new deadlines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timers"/> is <see langword="null"/>.</exception>
    public SlaDeadlines WithTimers(IReadOnlyList<SlaTimer> timers)
    {
        ArgumentNullException.ThrowIfNull(timers);
        var updated = this with { Timers = timers };
        var first = updated.GetTimer(SlaTimerKind.FirstAnswer);
        var resolution = updated.GetTimer(SlaTimerKind.Resolution);
        return updated with
        {
            FirstAnswerDue = first?.DueAt ?? resolution?.DueAt ?? FirstAnswerDue,
            ResolutionDue = resolution?.DueAt ?? first?.DueAt ?? ResolutionDue,
        };
    }
}

/// <summary>The kind of an SLA clock.</summary>
public enum SlaTimerKind
{
    /// <summary>Registration (or acknowledgement) of the appeal, counted from receipt (59-ФЗ art. 8 part 2: within 3 days).</summary>
    Registration = 0,

    /// <summary>The first answer (interim or final), counted from receipt or registration.</summary>
    FirstAnswer = 1,

    /// <summary>The next answer after a citizen's follow-up (or after the appeal was reopened), counted from that message.</summary>
    NextAnswer = 2,

    /// <summary>The final answer on the merits (59-ФЗ art. 12: within 30 days of registration).</summary>
    Resolution = 3,

    /// <summary>Forwarding to the competent body with a notice to the citizen (59-ФЗ art. 8 part 3: within 7 days of registration).</summary>
    Forwarding = 4,
}

/// <summary>How an SLA clock counts time.</summary>
public enum SlaTimeMode
{
    /// <summary>Working hours of a business calendar: weekends, holidays, lunch breaks and nights do not count.</summary>
    Business = 0,

    /// <summary>Elapsed time, day and night, every day of the week.</summary>
    AroundTheClock = 1,

    /// <summary>
    /// Whole calendar days, as legal terms are counted: a term of N days from an event on local date D ends at the end (24:00) of
    /// date D + N; when that date is not a working day of the calendar, the term ends at the end of the next working day.
    /// </summary>
    CalendarDays = 2,
}

/// <summary>The event an SLA clock counts from.</summary>
public enum SlaAnchor
{
    /// <summary>The receipt of the appeal.</summary>
    Receipt = 0,

    /// <summary>
    /// The registration of the appeal. Before registration the clock counts provisionally from receipt; registration restarts it.
    /// </summary>
    Registration = 1,
}

/// <summary>One SLA clock of an appeal: what it measures, from when, its target and its due time.</summary>
/// <remarks>
/// <para>
/// The due time is always derived from the other values: <see cref="StartedAt"/> plus <see cref="Target"/> + <see cref="Extension"/>
/// + <see cref="Paused"/>, counted in <see cref="Mode"/> on the named business calendar. Pauses while the appeal waits for the citizen
/// are added in the clock's own measure (working time, elapsed time or whole days), so a deadline in business time moves by the
/// business time of the pause, not by its calendar length.
/// </para>
/// <para>A clock stops when it is met (<see cref="MetAt"/>) or cancelled (<see cref="CancelledAt"/>: the appeal was closed, rejected or forwarded).</para>
/// </remarks>
public sealed record SlaTimer
{
    /// <summary>Gets what the clock measures.</summary>
    public required SlaTimerKind Kind { get; init; }

    /// <summary>Gets the number of a <see cref="SlaTimerKind.NextAnswer"/> clock (1, 2, …); 0 for the other kinds.</summary>
    public int Sequence { get; init; }

    /// <summary>Gets how the clock counts time.</summary>
    public required SlaTimeMode Mode { get; init; }

    /// <summary>Gets the name of the business calendar (configured under <c>Sla:Calendars</c>), or <see langword="null"/> for the default one.</summary>
    public string? Calendar { get; init; }

    /// <summary>Gets the event the clock counts from.</summary>
    public SlaAnchor Anchor { get; init; }

    /// <summary>Gets when the clock started counting.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the target: working time, elapsed time or whole days, depending on <see cref="Mode"/>.</summary>
    public required TimeSpan Target { get; init; }

    /// <summary>Gets the total extension granted (59-ФЗ art. 12 part 2), in the clock's measure.</summary>
    public TimeSpan Extension { get; init; }

    /// <summary>Gets how many extensions were granted.</summary>
    public int Extensions { get; init; }

    /// <summary>Gets the total paused time, in the clock's measure (working time, elapsed time or whole days).</summary>
    public TimeSpan Paused { get; init; }

    /// <summary>Gets when the target is reached, in the calendar's time zone.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Gets when the clock was met (the answer, registration or forwarding happened), or <see langword="null"/>.</summary>
    public DateTimeOffset? MetAt { get; init; }

    /// <summary>Gets when the clock was cancelled without being met (closed, rejected, forwarded), or <see langword="null"/>.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>
    /// Gets a value indicating whether the clock is chased: the monitor raises its escalation ladder and reports count it overdue.
    /// A clock that is not chased (forwarding, which applies only to appeals outside the body's competence) is measured when met.
    /// </summary>
    public bool Escalates { get; init; } = true;

    /// <summary>Gets the clock's key in step keys and reports: <c>registration</c>, <c>first-answer</c>, <c>next-answer-2</c>, <c>resolution</c>, <c>forwarding</c>.</summary>
    [JsonIgnore]
    public string Key => Sequence > 0 ? string.Create(CultureInfo.InvariantCulture, $"{KindKey(Kind)}-{Sequence}") : KindKey(Kind);

    /// <summary>Gets a value indicating whether the clock still runs (neither met nor cancelled).</summary>
    [JsonIgnore]
    public bool IsRunning => MetAt is null && CancelledAt is null;

    /// <summary>Gets the key of a kind of clock, as used in <see cref="Key"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>For example <c>first-answer</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    public static string KindKey(SlaTimerKind kind) => kind switch
    {
        SlaTimerKind.Registration => "registration",
        SlaTimerKind.FirstAnswer => "first-answer",
        SlaTimerKind.NextAnswer => "next-answer",
        SlaTimerKind.Resolution => "resolution",
        SlaTimerKind.Forwarding => "forwarding",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of SLA clock."),
    };
}

/// <summary>The priority of an appeal.</summary>
public enum AppealPriority
{
    /// <summary>Normal.</summary>
    Normal = 0,

    /// <summary>Higher than normal (for example a repeated complaint).</summary>
    High = 1,

    /// <summary>Urgent: a danger needing an immediate reaction.</summary>
    Urgent = 2,
}
