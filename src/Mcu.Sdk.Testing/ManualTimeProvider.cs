namespace Mcu.Sdk.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> that stands still until a test moves it. Timers (and so <c>Task.Delay(…, provider)</c>,
/// <c>PeriodicTimer</c> and Polly delays) fire when <see cref="Advance"/> or <see cref="SetUtcNow"/> passes their due time,
/// in due-time order, with the clock set to each due time as it fires.
/// </summary>
/// <remarks>Thread-safe. Timer callbacks run synchronously on the thread that advances the clock.</remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private TimeZoneInfo _localTimeZone = TimeZoneInfo.Utc;

    /// <summary>Initializes a new instance of the <see cref="ManualTimeProvider"/> class.</summary>
    /// <param name="start">The initial time; 2026-01-12 09:00 UTC (a Monday) by default.</param>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Gets the number of active timers (useful to wait until code under test has started a delay).</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => _localTimeZone;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Sets the local time zone the provider reports.</summary>
    /// <param name="zone">The zone.</param>
    public void SetLocalTimeZone(TimeZoneInfo zone) => _localTimeZone = zone ?? throw new ArgumentNullException(nameof(zone));

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc/>
    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now.UtcTicks;
        }
    }

    /// <summary>Moves the clock forward, firing the timers that fall due.</summary>
    /// <param name="delta">How far; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        SetUtcNow(target);
    }

    /// <summary>Sets the clock to a later time, firing the timers that fall due.</summary>
    /// <param name="value">The new time; not earlier than the current time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is in the past.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                if (value < _now)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, $"The manual clock only moves forward; it is at {_now:O}.");
                }

                next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= value && (next is null || timer.DueAt < next.DueAt || (timer.DueAt == next.DueAt && timer.Sequence < next.Sequence)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _now = value;
                    return;
                }

                if (next.DueAt > _now)
                {
                    _now = next.DueAt;
                }

                if (next.Period is { } period && period > TimeSpan.Zero)
                {
                    next.DueAt += period;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    /// <summary>
    /// Drives the clock until <paramref name="task"/> completes: whenever the code under test waits on a timer of this clock,
    /// the clock moves by <paramref name="step"/>. Use it to run retries, backoffs and rate limits without real waiting.
    /// </summary>
    /// <param name="task">The operation under test, already started.</param>
    /// <param name="step">How far to move the clock each time the operation waits.</param>
    /// <param name="maxSimulated">The most simulated time to spend; more means the operation hangs.</param>
    /// <returns>A task that completes with the operation.</returns>
    /// <exception cref="TimeoutException">The operation did not complete within <paramref name="maxSimulated"/> of simulated time, or stopped making progress.</exception>
    public async Task AdvanceUntilCompleteAsync(Task task, TimeSpan step, TimeSpan? maxSimulated = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        var deadline = GetUtcNow() + (maxSimulated ?? TimeSpan.FromHours(24));
        while (!task.IsCompleted)
        {
            // Let the code under test run until it completes or waits on one of this clock's timers.
            var spins = 0;
            while (!task.IsCompleted && ActiveTimerCount == 0)
            {
                if (++spins > 200_000)
                {
                    throw new TimeoutException("The operation neither completed nor waited on the manual clock: it is blocked on something else.");
                }

                await Task.Yield();
            }

            if (task.IsCompleted)
            {
                break;
            }

            if (GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"The operation did not complete within {maxSimulated ?? TimeSpan.FromHours(24)} of simulated time.");
            }

            Advance(step);
            await Task.Yield();
        }

        await task.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private long _sequence;

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
            timer.Period = period == Timeout.InfiniteTimeSpan ? null : period;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
        }

        if (dueTime == TimeSpan.Zero)
        {
            // Due now: fire as a real timer would, without waiting for the clock to move.
            SetUtcNow(GetUtcNow());
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            owner.Remove(this);
            return ValueTask.CompletedTask;
        }
    }
}
