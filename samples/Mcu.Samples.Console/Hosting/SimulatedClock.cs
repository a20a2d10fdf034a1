namespace Mcu.Samples.Console.Hosting;

/// <summary>
/// A clock that stands still until the host moves it forward: the whole SDK reads time from it, so a simulated day takes
/// milliseconds and gives the same result on every run.
/// </summary>
/// <remarks>
/// A run on this clock never starts the SDK's background services (only the host run of <c>replay --ack-journal</c> does,
/// on the system clock): it calls <c>IReplyDispatcher.DispatchDueAsync</c> and <c>SlaMonitor.CheckAsync</c> itself between
/// simulation steps, so no timer is needed. Creating a timer on this clock
/// throws, so that nothing can silently fall back to real time. Thread-safe.
/// </remarks>
internal sealed class SimulatedClock : TimeProvider
{
    private readonly TimeZoneInfo _zone;
    private long _utcTicks;

    /// <summary>Initializes a new instance of the <see cref="SimulatedClock"/> class.</summary>
    /// <param name="start">The initial time.</param>
    /// <param name="zone">The local time zone the clock reports; Europe/Moscow when <see langword="null"/>.</param>
    public SimulatedClock(DateTimeOffset start, TimeZoneInfo? zone = null)
    {
        _utcTicks = start.UtcTicks;
        _zone = zone ?? TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    }

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => _zone;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <inheritdoc/>
    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    /// <summary>Moves the clock forward to an instant; an instant in the past leaves the clock where it is.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when the clock moved.</returns>
    public bool AdvanceTo(DateTimeOffset instant)
    {
        var target = instant.UtcTicks;
        while (true)
        {
            var current = Interlocked.Read(ref _utcTicks);
            if (target <= current)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _utcTicks, target, current) == current)
            {
                return true;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Always: the simulated clock is moved by the host, it has no timers.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new InvalidOperationException(
            "The simulated clock has no timers: a run on it drives the dispatcher and the SLA monitor itself and never starts the SDK's background services.");
}
