using System.Threading.RateLimiting;

namespace Mcu.Sdk.Replies;

/// <summary>
/// A token-bucket <see cref="RateLimiter"/> whose refill reads a <see cref="TimeProvider"/>, so rate limits are exact and
/// testable on a manual clock. Waiters are served in arrival order.
/// </summary>
internal sealed class TimeProviderTokenBucket : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly double _tokensPerSecond;
    private readonly double _capacity;
    private readonly SemaphoreSlim _queue = new(1, 1);
    private readonly Lock _gate = new();
    private double _tokens;
    private long _lastRefill;
    private long _idleSince;

    public TimeProviderTokenBucket(TimeProvider time, double tokensPerSecond, double burst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokensPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _tokensPerSecond = tokensPerSecond;
        _capacity = burst;
        _tokens = burst;
        _lastRefill = time.GetTimestamp();
        _idleSince = _lastRefill;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens >= _capacity ? _time.GetElapsedTime(_idleSince) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens, CurrentQueuedCount = _queue.CurrentCount == 0 ? 1 : 0 };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Lease.Acquired;
            }

            return Lease.Rejected;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount > _capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"At most {_capacity} permits can be acquired at once.");
        }

        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    Refill();
                    if (_tokens >= permitCount)
                    {
                        _tokens -= permitCount;
                        return Lease.Acquired;
                    }

                    wait = TimeSpan.FromSeconds((permitCount - _tokens) / _tokensPerSecond);
                }

                await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = (now - _lastRefill) / (double)_time.TimestampFrequency;
        if (elapsed > 0)
        {
            var wasFull = _tokens >= _capacity;
            _tokens = Math.Min(_capacity, _tokens + elapsed * _tokensPerSecond);
            _lastRefill = now;
            if (!wasFull && _tokens >= _capacity)
            {
                _idleSince = now;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _queue.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Rejected = new(false);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>The rate limits of one channel: a global bucket and one bucket per conversation, both from its capabilities.</summary>
internal sealed class ChannelRateLimiter : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeProviderTokenBucket? _global;
    private readonly double? _perConversation;
    private readonly Dictionary<string, TimeProviderTokenBucket> _conversations = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ChannelRateLimiter(TimeProvider time, Channels.ChannelCapabilities capabilities)
    {
        _time = time;
        if (capabilities.MaxMessagesPerSecond is { } global)
        {
            _global = new TimeProviderTokenBucket(time, global, Math.Max(1, Math.Floor(global)));
        }

        _perConversation = capabilities.MaxMessagesPerSecondPerConversation;
    }

    public bool IsUnlimited => _global is null && _perConversation is null;

    public async ValueTask AcquireAsync(string conversation, CancellationToken cancellationToken)
    {
        if (_perConversation is { } rate)
        {
            TimeProviderTokenBucket bucket;
            lock (_gate)
            {
                if (!_conversations.TryGetValue(conversation, out bucket!))
                {
                    if (_conversations.Count > 10_000)
                    {
                        EvictIdle();
                    }

                    bucket = new TimeProviderTokenBucket(_time, rate, 1);
                    _conversations[conversation] = bucket;
                }
            }

            using var conversationLease = await bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_global is not null)
        {
            using var globalLease = await _global.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _global?.Dispose();
        lock (_gate)
        {
            foreach (var bucket in _conversations.Values)
            {
                bucket.Dispose();
            }

            _conversations.Clear();
        }
    }

    private void EvictIdle()
    {
        foreach (var (key, bucket) in _conversations.ToArray())
        {
            if (bucket.IdleDuration is { } idle && idle > TimeSpan.FromMinutes(1))
            {
                _conversations.Remove(key);
                bucket.Dispose();
            }
        }
    }
}
