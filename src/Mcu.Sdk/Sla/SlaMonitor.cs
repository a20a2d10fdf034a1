using System.Globalization;
using System.Runtime.InteropServices;
using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Sla;

/// <summary>
/// Watches the SLA clocks of open appeals and raises the steps of their escalation ladders (warnings, breaches, escalations), each step
/// exactly once: the raised step keys are stored on the appeal (<see cref="Appeal.RaisedSlaSteps"/>) before the event is published, so
/// a restart does not raise them again.
/// </summary>
/// <remarks>
/// The monitor keeps a priority queue keyed by each appeal's next due step (and a map of the scheduled time per appeal; superseded queue
/// entries are skipped when they surface). A check peeks the queue and touches only the k appeals whose step is due: O(k log n), never a
/// scan of the n open appeals, and about 60 bytes of memory per open appeal. It learns of changes from the desk's events and loads the
/// open appeals from the store at its first check.
/// </remarks>
public sealed partial class SlaMonitor : IAppealEventSubscriber, IDisposable
{
    private readonly IAppealStore _store;
    private readonly IServiceProvider _services;
    private readonly SlaEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PriorityQueue<Guid, long> _queue = new();
    private readonly Dictionary<Guid, long> _next = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private IAppealEventSubscriber[]? _subscribers;
    private bool _loaded;

    /// <summary>Initializes a new instance of the <see cref="SlaMonitor"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="services">The service provider (other event subscribers are resolved lazily from it).</param>
    /// <param name="engine">The SLA engine (profiles, ladders, calendars).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SlaMonitor(IAppealStore store, IServiceProvider services, SlaEngine engine, TimeProvider timeProvider, ILogger<SlaMonitor> logger)
    {
        _store = Throw.IfNull(store);
        _services = Throw.IfNull(services);
        _engine = Throw.IfNull(engine);
        _time = Throw.IfNull(timeProvider);
        _logger = Throw.IfNull(logger);
    }

    /// <inheritdoc/>
    public void Dispose() => _checking.Dispose();

    /// <summary>Gets the number of appeals with a scheduled step.</summary>
    public int ScheduledCount
    {
        get
        {
            lock (_gate)
            {
                return _next.Count;
            }
        }
    }

    /// <summary>Gets when the earliest scheduled step is due, or <see langword="null"/> when nothing is scheduled.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_gate)
            {
                while (_queue.TryPeek(out var id, out var due))
                {
                    if (_next.TryGetValue(id, out var scheduled) && scheduled == due)
                    {
                        return new DateTimeOffset(due, TimeSpan.Zero);
                    }

                    _queue.Dequeue(); // superseded
                }

                return null;
            }
        }
    }

    /// <inheritdoc/>
    ValueTask IAppealEventSubscriber.HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken)
    {
        // Delivery events never change an appeal's clocks; skipping them keeps the desk's hot path light.
        if (appealEvent.Kind is not (AppealEventKind.SlaWarning or AppealEventKind.SlaBreached or AppealEventKind.SlaEscalated
            or AppealEventKind.ReplyQueued or AppealEventKind.ReplyDelivered or AppealEventKind.ReplyFailed
            or AppealEventKind.ReplyParked or AppealEventKind.AddressChanged))
        {
            Schedule(appealEvent.Appeal);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Raises every SLA step that is due now.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The number of events raised.</returns>
    public async ValueTask<int> CheckAsync(CancellationToken cancellationToken = default)
    {
        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                await foreach (var appeal in _store.QueryAsync(new AppealQuery { OpenOnly = true }, cancellationToken).ConfigureAwait(false))
                {
                    Schedule(appeal);
                }

                _loaded = true;
            }

            var now = _time.GetUtcNow();
            var raised = 0;
            while (TryDequeueDue(now.UtcTicks, out var appealId))
            {
                raised += await RaiseDueStepsAsync(appealId, now, cancellationToken).ConfigureAwait(false);
            }

            return raised;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>Schedules an appeal's next step (or forgets the appeal when none is left).</summary>
    /// <param name="appeal">The appeal as stored.</param>
    internal void Schedule(Appeal appeal) => Schedule(appeal.Id, _engine.NextStepDue(appeal));

    /// <summary>Schedules a check of an appeal at a moment, or forgets it.</summary>
    /// <param name="appealId">The appeal.</param>
    /// <param name="dueAt">When its next step is due, or <see langword="null"/>.</param>
    internal void Schedule(Guid appealId, DateTimeOffset? dueAt)
    {
        lock (_gate)
        {
            if (dueAt is not { } due)
            {
                _next.Remove(appealId);
                return;
            }

            var ticks = due.UtcTicks;
            ref var scheduled = ref CollectionsMarshal.GetValueRefOrAddDefault(_next, appealId, out var exists);
            if (!exists || scheduled != ticks)
            {
                scheduled = ticks;
                _queue.Enqueue(appealId, ticks);
            }
        }
    }

    private bool TryDequeueDue(long nowTicks, out Guid appealId)
    {
        lock (_gate)
        {
            while (_queue.TryPeek(out appealId, out var dueAt) && dueAt <= nowTicks)
            {
                _queue.Dequeue();
                if (_next.TryGetValue(appealId, out var scheduled) && scheduled == dueAt)
                {
                    _next.Remove(appealId);
                    return true;
                }

                // Superseded by a later schedule of the same appeal, or forgotten.
            }

            return false;
        }
    }

    private async ValueTask<int> RaiseDueStepsAsync(Guid appealId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var appeal = await _store.GetAsync(appealId, cancellationToken).ConfigureAwait(false);
            if (appeal is null)
            {
                return 0;
            }

            var due = _engine.DueSteps(appeal, now);
            if (due.Count == 0)
            {
                Schedule(appeal); // a stale entry: schedule the appeal's real next step, if any
                return 0;
            }

            var updated = appeal with { RaisedSlaSteps = [.. appeal.RaisedSlaSteps, .. due.Select(s => s.Key)] };
            foreach (var step in due)
            {
                updated = updated.WithHistory(new AppealHistoryEntry(
                    now,
                    AppealHistoryKind.Sla,
                    string.Create(CultureInfo.InvariantCulture, $"SLA {step.Key}: {step.Percent:0.##} % of the {step.TimerKey} clock, notify {step.Audience} (due {step.DueAt:O}).")));
            }

            Appeal stored;
            try
            {
                stored = await _store.UpdateAsync(updated, [], cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                continue;
            }

            Schedule(stored);
            foreach (var step in due)
            {
                McuDiagnostics.SlaEvents.Add(1, new KeyValuePair<string, object?>("step", step.StepName), new KeyValuePair<string, object?>("clock", SlaTimer.KindKey(step.TimerKind)));
                LogStep(step.Key, stored.Number, stored.UnitId ?? "-", step.Audience, step.DueAt);
                await PublishAsync(new AppealEvent(step.EventKind, stored, now, step.Key), cancellationToken).ConfigureAwait(false);
            }

            return due.Count;
        }

        return 0;
    }

    private async ValueTask PublishAsync(AppealEvent appealEvent, CancellationToken cancellationToken)
    {
        _subscribers ??= _services.GetServices<IAppealEventSubscriber>().Where(s => !ReferenceEquals(s, this)).ToArray();
        foreach (var subscriber in _subscribers)
        {
            try
            {
                await subscriber.HandleAsync(appealEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSubscriberFailed(ex, subscriber.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "SLA {Step} for appeal #{Number} (unit {Unit}, notify {Audience}), due {DueAt:O}")]
    private partial void LogStep(string step, long number, string unit, string audience, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Event subscriber {Subscriber} failed on an SLA event")]
    private partial void LogSubscriberFailed(Exception exception, string subscriber);
}

/// <summary>Runs <see cref="SlaMonitor.CheckAsync"/> every <see cref="SlaOptions.MonitorInterval"/>.</summary>
internal sealed partial class SlaMonitorService(SlaMonitor monitor, IOptions<SlaOptions> options, TimeProvider time, ILogger<SlaMonitorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, time);
        do
        {
            try
            {
                await monitor.CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogCheckFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "An SLA check failed; the next tick retries")]
    private partial void LogCheckFailed(Exception exception);
}
