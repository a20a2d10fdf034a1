using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Storage;

/// <summary>
/// The in-memory reference store: thread-safe, fast, and lost when the process ends. The default of <c>AddMcu()</c>.
/// </summary>
/// <remarks>
/// Writes are serialized by one lock; reads are lock-free. Leasing is O(log n) through priority queues of due and leased
/// messages, so a backlog of hundreds of thousands of replies does not slow the dispatcher.
/// </remarks>
public sealed class InMemoryAppealStore : IAppealStore, ICheckpointStore
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, Appeal> _appeals = new();
    private readonly ConcurrentDictionary<(ChannelId Channel, string ExternalId), Guid> _byMessage = new();
    private readonly Dictionary<(ChannelId Channel, string Conversation), List<Guid>> _byConversation = [];
    private readonly ConcurrentDictionary<Guid, OutboxMessage> _outbox = new();
    private readonly ConcurrentDictionary<Guid, List<Guid>> _outboxByAppeal = new();
    private readonly PriorityQueue<Guid, (DateTimeOffset DueAt, long Sequence)> _due = new();
    private readonly PriorityQueue<Guid, DateTimeOffset> _leased = new();
    private readonly ConcurrentDictionary<string, string> _checkpoints = new(StringComparer.Ordinal);
    private long _lastNumber;
    private long _lastSequence;

    /// <summary>Gets the number of stored appeals.</summary>
    public int Count => _appeals.Count;

    /// <inheritdoc/>
    public ValueTask<long> NextAppealNumberAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Interlocked.Increment(ref _lastNumber));

    /// <inheritdoc/>
    public ValueTask<AddAppealResult> AddAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(appeal);
        Throw.IfNull(outbox);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byMessage.TryGetValue((appeal.Channel, appeal.ExternalId), out var existingId))
            {
                return ValueTask.FromResult(new AddAppealResult(_appeals[existingId], false));
            }

            if (_appeals.ContainsKey(appeal.Id))
            {
                throw new InvalidOperationException($"Appeal {appeal.Id} already exists with another channel message.");
            }

            CheckOutbox(outbox, appeal.Id);
            var stored = appeal with { Version = 1 };
            _appeals[stored.Id] = stored;
            IndexMessages(stored);
            IndexConversation(stored);
            AddOutbox(outbox);
            return ValueTask.FromResult(new AddAppealResult(stored, true));
        }
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> UpdateAsync(Appeal appeal, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(appeal);
        Throw.IfNull(outbox);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_appeals.TryGetValue(appeal.Id, out var current))
            {
                throw new AppealNotFoundException(appeal.Id);
            }

            if (current.Version != appeal.Version)
            {
                throw new ConcurrencyConflictException(appeal.Id, appeal.Version, current.Version);
            }

            CheckOutbox(outbox, appeal.Id);
            var stored = appeal with { Version = current.Version + 1 };
            _appeals[stored.Id] = stored;
            IndexMessages(stored);
            if (!string.Equals(current.ConversationKey, stored.ConversationKey, StringComparison.Ordinal) || (stored.IsOpen && !current.IsOpen))
            {
                IndexConversation(stored); // moved or reopened: it is again the conversation's most recent open appeal
            }

            AddOutbox(outbox);
            return ValueTask.FromResult(stored);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Appeal?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_appeals.GetValueOrDefault(id));

    /// <inheritdoc/>
    public ValueTask<Appeal?> FindByMessageAsync(ChannelId channel, string externalId, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(externalId);
        return ValueTask.FromResult(_byMessage.TryGetValue((channel, externalId), out var id) ? _appeals.GetValueOrDefault(id) : null);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal?> FindOpenByConversationAsync(ChannelId channel, string conversationKey, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(conversationKey);
        lock (_gate)
        {
            if (_byConversation.TryGetValue((channel, conversationKey), out var ids))
            {
                // The most recently added appeal of the conversation that is still open.
                for (var i = ids.Count - 1; i >= 0; i--)
                {
                    if (_appeals.TryGetValue(ids[i], out var appeal) && appeal.IsOpen
                        && string.Equals(appeal.ConversationKey, conversationKey, StringComparison.Ordinal))
                    {
                        return ValueTask.FromResult<Appeal?>(appeal);
                    }
                }
            }
        }

        return ValueTask.FromResult<Appeal?>(null);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Appeal> QueryAsync(AppealQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNull(query);
        var matches = _appeals.Values.Where(query.Matches).OrderBy(a => a.ReceivedAt).ThenBy(a => a.Number).ToList();
        foreach (var appeal in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return appeal;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        Throw.IfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // Leases that expired come back as due messages.
            while (_leased.TryPeek(out var leasedId, out var expiresAt) && expiresAt <= now)
            {
                _leased.Dequeue();
                if (_outbox.TryGetValue(leasedId, out var leasedMessage)
                    && leasedMessage.Status == OutboxStatus.Pending
                    && leasedMessage.LeaseExpiresAt is { } expiry && expiry <= now)
                {
                    _due.Enqueue(leasedId, (leasedMessage.NextAttemptAt, leasedMessage.Sequence));
                }
            }

            var result = new List<OutboxMessage>(Math.Min(maxCount, _due.Count));
            while (result.Count < maxCount && _due.TryPeek(out var id, out var due) && due.DueAt <= now)
            {
                _due.Dequeue();
                if (!_outbox.TryGetValue(id, out var message)
                    || message.Status != OutboxStatus.Pending
                    || message.NextAttemptAt > now
                    || (message.LeaseExpiresAt is { } held && held > now))
                {
                    continue; // a stale queue entry: the message moved on since it was queued
                }

                var leased = message with { LeaseOwner = owner, LeaseExpiresAt = now + leaseDuration };
                _outbox[id] = leased;
                _leased.Enqueue(id, now + leaseDuration);
                result.Add(leased);
            }

            return ValueTask.FromResult<IReadOnlyList<OutboxMessage>>(result);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> UpdateOutboxAsync(OutboxMessage message, string leaseOwner, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(message);
        Throw.IfNullOrWhiteSpace(leaseOwner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_outbox.TryGetValue(message.Id, out var current))
            {
                throw new InvalidOperationException($"Outbox message {message.Id} does not exist.");
            }

            if (!string.Equals(current.LeaseOwner, leaseOwner, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _outbox[message.Id] = message;
            if (message.Status == OutboxStatus.Pending && message.LeaseOwner is null)
            {
                _due.Enqueue(message.Id, (message.NextAttemptAt, message.Sequence));
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OutboxMessage>> GetOutboxAsync(Guid appealId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<OutboxMessage> result = _outboxByAppeal.TryGetValue(appealId, out var ids)
                ? ids.Select(id => _outbox[id]).OrderBy(m => m.Sequence).ToArray()
                : [];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OutboxMessage> QueryOutboxAsync(OutboxStatus status, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var matches = _outbox.Values.Where(m => m.Status == status).OrderBy(m => m.Sequence).ToList();
        foreach (var message in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return message;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<string?> GetCheckpointAsync(string key, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(key);
        return ValueTask.FromResult(_checkpoints.GetValueOrDefault(key));
    }

    /// <inheritdoc/>
    public ValueTask SetCheckpointAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(key);
        Throw.IfNull(value);
        _checkpoints[key] = value;
        return ValueTask.CompletedTask;
    }

    private void IndexConversation(Appeal appeal)
    {
        var key = (appeal.Channel, appeal.ConversationKey);
        if (!_byConversation.TryGetValue(key, out var ids))
        {
            ids = new List<Guid>(1);
            _byConversation[key] = ids;
        }
        else if (ids.Count >= 64)
        {
            // Keep the per-conversation list short: a closed appeal is found again only after it is reopened,
            // and a reopened appeal is re-indexed by its update.
            ids.RemoveAll(id => !_appeals.TryGetValue(id, out var a) || !a.IsOpen);
        }

        ids.Remove(appeal.Id);
        ids.Add(appeal.Id);
    }

    private void IndexMessages(Appeal appeal)
    {
        _byMessage.TryAdd((appeal.Channel, appeal.ExternalId), appeal.Id);
        foreach (var message in appeal.Messages)
        {
            _byMessage.TryAdd((appeal.Channel, message.ExternalId), appeal.Id);
        }
    }

    private void CheckOutbox(IReadOnlyList<OutboxMessage> outbox, Guid appealId)
    {
        foreach (var message in outbox)
        {
            if (message.AppealId != appealId)
            {
                throw new ArgumentException($"Outbox message {message.Id} belongs to appeal {message.AppealId}, not {appealId}.", nameof(outbox));
            }

            if (_outbox.ContainsKey(message.Id))
            {
                throw new InvalidOperationException($"Outbox message {message.Id} already exists.");
            }
        }
    }

    private void AddOutbox(IReadOnlyList<OutboxMessage> outbox)
    {
        foreach (var committed in outbox)
        {
            var message = committed with { Sequence = ++_lastSequence };
            _outbox[message.Id] = message;

            _outboxByAppeal.GetOrAdd(message.AppealId, _ => []).Add(message.Id);
            if (message.Status == OutboxStatus.Pending)
            {
                _due.Enqueue(message.Id, (message.NextAttemptAt, message.Sequence));
            }
        }
    }
}
