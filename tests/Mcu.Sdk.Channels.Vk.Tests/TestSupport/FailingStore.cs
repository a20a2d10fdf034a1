using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Channels.Vk.Tests.TestSupport;

/// <summary>The in-memory store whose next writes fail, as a durable store does when its disk is gone.</summary>
internal sealed class FailingStore : IAppealStore, ICheckpointStore
{
    private readonly InMemoryAppealStore _inner = new();

    /// <summary>Gets or sets how many next <see cref="AddAsync"/> calls fail.</summary>
    public int AddFailures { get; set; }

    /// <summary>Gets or sets how many next <see cref="SetCheckpointAsync"/> calls fail.</summary>
    public int CheckpointFailures { get; set; }

    public ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default) => _inner.NextAppealNumberAsync(cancellationToken);

    public ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default)
    {
        if (AddFailures > 0)
        {
            AddFailures--;
            throw new InvalidOperationException("The store is unavailable.");
        }

        return _inner.AddAsync(appeal, outbox, cancellationToken);
    }

    public ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default) => _inner.UpdateAsync(appeal, outbox, cancellationToken);

    public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

    public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default) => _inner.FindByMessageAsync(channel, externalId, cancellationToken);

    public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default) => _inner.FindOpenByConversationAsync(channel, conversationKey, cancellationToken);

    public IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, CancellationToken cancellationToken = default) => _inner.QueryAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default) =>
        _inner.LeaseOutboxAsync(now, maxCount, leaseDuration, owner, cancellationToken);

    public ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default) => _inner.UpdateOutboxAsync(message, leaseOwner, cancellationToken);

    public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default) => _inner.GetOutboxAsync(appealId, cancellationToken);

    public IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, CancellationToken cancellationToken = default) => _inner.QueryOutboxAsync(status, cancellationToken);

    public ValueTask<string?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default) => _inner.GetCheckpointAsync(key, cancellationToken);

    public ValueTask SetCheckpointAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        if (CheckpointFailures > 0)
        {
            CheckpointFailures--;
            throw new InvalidOperationException("The store is unavailable.");
        }

        return _inner.SetCheckpointAsync(key, value, cancellationToken);
    }
}
