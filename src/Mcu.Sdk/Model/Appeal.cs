using Mcu.Sdk.Classification;

namespace Mcu.Sdk;

/// <summary>
/// A citizen's appeal (обращение): what was asked, through which channel, who handles it, its clocks, replies and history.
/// </summary>
/// <remarks>
/// An appeal is an immutable snapshot; every change produces a new snapshot with a higher <see cref="Version"/>
/// (optimistic concurrency). Change appeals through <see cref="IAppealDesk"/>, which enforces the status machine and
/// commits each change together with its outbox messages. Store implementations construct snapshots directly.
/// </remarks>
public sealed record Appeal
{
    /// <summary>Gets the appeal id: a version-7 (time-ordered) GUID.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the human-readable number the citizen is told, unique within a store.</summary>
    public long Number { get; init; }

    /// <summary>Gets the channel the appeal came from.</summary>
    public required ChannelId Channel { get; init; }

    /// <summary>Gets the channel's id of the first message (the idempotency key).</summary>
    public required string ExternalId { get; init; }

    /// <summary>Gets the conversation key; follow-ups with the same key join the appeal while it is open.</summary>
    public required string ConversationKey { get; init; }

    /// <summary>Gets where replies go: the same chat, thread or comment.</summary>
    public required ReplyAddress ReplyAddress { get; init; }

    /// <summary>Gets the citizen.</summary>
    public required Author Author { get; init; }

    /// <summary>Gets the text of the first message.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the attachments of all messages.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Gets the location shared by the citizen, if any.</summary>
    public GeoLocation? Location { get; init; }

    /// <summary>Gets the city district, if known.</summary>
    public string? District { get; init; }

    /// <summary>Gets a value indicating whether monitoring found the appeal (incident management).</summary>
    public bool FoundByMonitoring { get; init; }

    /// <summary>Gets when the first message was received.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the citizen's messages: the first one and every follow-up.</summary>
    public IReadOnlyList<AppealMessage> Messages { get; init; } = [];

    /// <summary>Gets the classification, or <see langword="null"/> before classification.</summary>
    public AppealClassification? Classification { get; init; }

    /// <summary>Gets the id of the responsible unit, or <see langword="null"/> before routing.</summary>
    public string? UnitId { get; init; }

    /// <summary>Gets the priority.</summary>
    public AppealPriority Priority { get; init; }

    /// <summary>Gets the status.</summary>
    public AppealStatus Status { get; init; }

    /// <summary>Gets the SLA deadlines, or <see langword="null"/> when no policy applies.</summary>
    public SlaDeadlines? Deadlines { get; init; }

    /// <summary>Gets when the first answer (interim or final, not the acknowledgement) was committed.</summary>
    public DateTimeOffset? FirstAnsweredAt { get; init; }

    /// <summary>Gets when the final answer was committed.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Gets when the appeal was closed or rejected.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Gets when the SLA clocks were paused (waiting for the citizen), or <see langword="null"/> while they run.</summary>
    public DateTimeOffset? ClockPausedAt { get; init; }

    /// <summary>Gets the keys of the SLA steps already raised (so that each is raised exactly once, also after a restart).</summary>
    public IReadOnlyList<string> RaisedSlaSteps { get; init; } = [];

    /// <summary>
    /// Gets when the appeal was registered (59-ФЗ art. 8 part 2), or <see langword="null"/> while it waits for registration.
    /// Under a policy with automatic registration this is the moment it was accepted.
    /// </summary>
    public DateTimeOffset? RegisteredAt { get; init; }

    /// <summary>Gets the registration number given by the body's registry, if any.</summary>
    public string? RegistrationNumber { get; init; }

    /// <summary>Gets the competent body the appeal was forwarded to (59-ФЗ art. 8 part 3), or <see langword="null"/>.</summary>
    public string? ForwardedTo { get; init; }

    /// <summary>Gets when the appeal was forwarded to another body, or <see langword="null"/>.</summary>
    public DateTimeOffset? ForwardedAt { get; init; }

    /// <summary>Gets the citizen's rating of the final answer (1 to 5), if given.</summary>
    public int? Rating { get; init; }

    /// <summary>Gets the replies committed for the citizen.</summary>
    public IReadOnlyList<AppealReply> Replies { get; init; } = [];

    /// <summary>Gets the append-only history.</summary>
    public IReadOnlyList<AppealHistoryEntry> History { get; init; } = [];

    /// <summary>Gets the version for optimistic concurrency: 1 for a new appeal, incremented by each stored change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>Gets a value indicating whether the appeal is open (not closed and not rejected).</summary>
    public bool IsOpen => AppealStatusMachine.IsOpen(Status);

    /// <summary>Gets the topic, or <c>other</c> before classification.</summary>
    public TopicCode Topic => Classification?.Topic ?? TopicCode.Other;

    /// <summary>Returns a snapshot with a history entry appended.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The new snapshot (same version).</returns>
    public Appeal WithHistory(AppealHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return this with { History = [.. History, entry] };
    }

    /// <summary>Returns a snapshot in another status, enforcing the status machine and recording the change in the history.</summary>
    /// <param name="status">The new status.</param>
    /// <param name="at">When the change happens.</param>
    /// <param name="actor">Who makes it.</param>
    /// <param name="reason">An optional reason for the history.</param>
    /// <returns>The new snapshot (same version).</returns>
    /// <exception cref="InvalidAppealTransitionException">The transition is not allowed.</exception>
    public Appeal TransitionTo(AppealStatus status, DateTimeOffset at, string actor = "system", string? reason = null)
    {
        if (!AppealStatusMachine.CanTransition(Status, status))
        {
            throw new InvalidAppealTransitionException(Id, Status, status);
        }

        var description = reason is null ? $"{Status} → {status}" : $"{Status} → {status}: {reason}";
        return (this with
        {
            Status = status,
            ClosedAt = status is AppealStatus.Closed or AppealStatus.Rejected ? at : status == AppealStatus.Reopened ? null : ClosedAt,
        }).WithHistory(new AppealHistoryEntry(at, AppealHistoryKind.StatusChanged, description, actor));
    }

    /// <inheritdoc/>
    public override string ToString() => $"Appeal #{Number} ({Id}) {Channel} {Status} {Topic} unit={UnitId ?? "-"} v{Version}";
}
