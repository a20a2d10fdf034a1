namespace Mcu.Sdk.Storage;

/// <summary>The delivery state of an outbox message.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting to be delivered (or to be retried at <see cref="OutboxMessage.NextAttemptAt"/>).</summary>
    Pending = 0,

    /// <summary>Every part was delivered.</summary>
    Delivered = 1,

    /// <summary>Delivery failed permanently; the error stays visible in <see cref="OutboxMessage.LastError"/>.</summary>
    Failed = 2,

    /// <summary>Held until a person acts (for example a captcha was asked); not retried automatically.</summary>
    Parked = 3,
}

/// <summary>
/// A reply waiting for (or done with) delivery: committed in the same transaction as the appeal change that produced it.
/// </summary>
public sealed record OutboxMessage
{
    /// <summary>Gets the id (also the base of the idempotency keys of its parts).</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the appeal the reply belongs to.</summary>
    public required Guid AppealId { get; init; }

    /// <summary>Gets where to deliver it.</summary>
    public required ReplyAddress Address { get; init; }

    /// <summary>Gets the kind of reply.</summary>
    public required ReplyKind Kind { get; init; }

    /// <summary>Gets the full text (the dispatcher splits it to the channel's limit).</summary>
    public required string Text { get; init; }

    /// <summary>Gets the attachments.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Gets when it was committed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the commit order: assigned by the store, increasing with each committed message (replies of one conversation are delivered in this order).</summary>
    public long Sequence { get; init; }

    /// <summary>Gets the delivery state.</summary>
    public OutboxStatus Status { get; init; }

    /// <summary>Gets how many delivery attempts were made.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the earliest time of the next attempt.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Gets the dispatcher that holds the lease, or <see langword="null"/>.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the lease expires; after that another dispatcher may take the message.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets the channel's message ids of the parts delivered so far, in order (a restart resumes at the next part).</summary>
    public IReadOnlyList<string> DeliveredParts { get; init; } = [];

    /// <summary>Gets the last error, without secrets or personal data.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when delivery finished (delivered or failed).</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}

/// <summary>The result of adding an appeal.</summary>
/// <param name="Appeal">The stored appeal: the new one, or the one already stored for the same channel and external id.</param>
/// <param name="Added"><see langword="true"/> when the appeal was added; <see langword="false"/> when it was a duplicate.</param>
public sealed record AddAppealResult(Appeal Appeal, bool Added);

/// <summary>A filter over stored appeals. Every condition set must hold.</summary>
public sealed record AppealQuery
{
    /// <summary>Gets a query that matches every appeal.</summary>
    public static AppealQuery All { get; } = new();

    /// <summary>Gets the earliest receipt time (inclusive).</summary>
    public DateTimeOffset? ReceivedFrom { get; init; }

    /// <summary>Gets the latest receipt time (exclusive).</summary>
    public DateTimeOffset? ReceivedTo { get; init; }

    /// <summary>Gets a value indicating whether only open appeals match.</summary>
    public bool OpenOnly { get; init; }

    /// <summary>Gets the statuses that match, or <see langword="null"/> for all.</summary>
    public IReadOnlyCollection<AppealStatus>? Statuses { get; init; }

    /// <summary>Gets the unit that must be responsible, or <see langword="null"/>.</summary>
    public string? UnitId { get; init; }

    /// <summary>Gets the channel, or <see langword="null"/>.</summary>
    public ChannelId? Channel { get; init; }

    /// <summary>Gets the conversation key (with <see cref="Channel"/>), or <see langword="null"/>.</summary>
    public string? ConversationKey { get; init; }

    /// <summary>Gets the author's channel user id (with <see cref="Channel"/>), or <see langword="null"/>.</summary>
    public string? AuthorId { get; init; }

    /// <summary>Tells whether an appeal matches.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns><see langword="true"/> when every condition holds.</returns>
    public bool Matches(Appeal appeal)
    {
        ArgumentNullException.ThrowIfNull(appeal);
        return (ReceivedFrom is null || appeal.ReceivedAt >= ReceivedFrom)
            && (ReceivedTo is null || appeal.ReceivedAt < ReceivedTo)
            && (!OpenOnly || appeal.IsOpen)
            && (Statuses is null || Statuses.Contains(appeal.Status))
            && (UnitId is null || string.Equals(appeal.UnitId, UnitId, StringComparison.Ordinal))
            && (Channel is null || appeal.Channel == Channel.Value)
            && (ConversationKey is null || string.Equals(appeal.ConversationKey, ConversationKey, StringComparison.Ordinal))
            && (AuthorId is null || string.Equals(appeal.Author.Id, AuthorId, StringComparison.Ordinal));
    }
}

/// <summary>
/// Stores appeals and their outbox. The unit of consistency: an appeal change and the outbox messages it produces are
/// committed together or not at all.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use. A durable implementation returns from <see cref="AddAsync"/> and
/// <see cref="UpdateAsync"/> only after the data is durable (an acknowledged webhook then means a stored appeal).
/// The conformance suite in <c>Mcu.Sdk.Testing</c> states the contract as tests.
/// </remarks>
public interface IAppealStore
{
    /// <summary>Reserves the next human-readable appeal number (numbers are unique and increasing; gaps are allowed).</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The number.</returns>
    ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a new appeal and its outbox messages, idempotently by channel and external id.</summary>
    /// <param name="appeal">The appeal (version 1).</param>
    /// <param name="outbox">Outbox messages committed with it.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored appeal, and whether it was added or already there (then nothing was written).</returns>
    ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default);

    /// <summary>Stores a changed appeal and its new outbox messages, if nobody changed it since it was read.</summary>
    /// <param name="appeal">The changed snapshot, carrying the <see cref="Appeal.Version"/> it was read at.</param>
    /// <param name="outbox">New outbox messages committed with the change.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored snapshot with the version incremented.</returns>
    /// <exception cref="ConcurrencyConflictException">The stored version differs from <paramref name="appeal"/>'s.</exception>
    /// <exception cref="AppealNotFoundException">The appeal does not exist.</exception>
    ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default);

    /// <summary>Gets an appeal by id.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The appeal, or <see langword="null"/>.</returns>
    ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Finds the appeal that holds a citizen's message (its first message or a follow-up).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="externalId">The channel's message id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The appeal, or <see langword="null"/>.</returns>
    ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default);

    /// <summary>Finds the most recent open appeal of a conversation.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="conversationKey">The conversation key.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The appeal, or <see langword="null"/> when the conversation has no open appeal.</returns>
    ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default);

    /// <summary>Streams the appeals matching a query, in receipt order.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The appeals.</returns>
    IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, CancellationToken cancellationToken = default);

    /// <summary>Leases due outbox messages: pending ones whose next attempt is due and whose lease (if any) expired.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxCount">The largest number to lease.</param>
    /// <param name="leaseDuration">How long the lease lasts; a crashed dispatcher's leases come back after it.</param>
    /// <param name="owner">The dispatcher's id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The leased messages, oldest due first.</returns>
    ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default);

    /// <summary>Stores delivery progress or the outcome of a leased message.</summary>
    /// <param name="message">The message as changed by its lease owner. A pending message with no <see cref="OutboxMessage.LeaseOwner"/> is released for a later attempt at <see cref="OutboxMessage.NextAttemptAt"/>.</param>
    /// <param name="leaseOwner">The dispatcher that holds the lease.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when stored; <see langword="false"/> when <paramref name="leaseOwner"/> no longer holds the lease (nothing stored).</returns>
    ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default);

    /// <summary>Gets the outbox messages of an appeal, in creation order.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The messages.</returns>
    ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default);

    /// <summary>Streams outbox messages in a given state.</summary>
    /// <param name="status">The state.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The messages.</returns>
    IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, CancellationToken cancellationToken = default);
}

/// <summary>Stores channel checkpoints (a Telegram offset, a VK <c>ts</c>, monitoring cursors) durably.</summary>
/// <remarks>Implementations must be safe for concurrent use.</remarks>
public interface ICheckpointStore
{
    /// <summary>Gets a checkpoint.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The value, or <see langword="null"/> when none was stored.</returns>
    ValueTask<string?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a checkpoint.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the value is durable.</returns>
    ValueTask SetCheckpointAsync(string key, string value, CancellationToken cancellationToken = default);
}
