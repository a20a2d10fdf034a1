using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Sla;

/// <summary>
/// Watches the SLA clocks of open appeals and raises warning and breach events, each step exactly once (the raised steps
/// are stored on the appeal, so a restart does not raise them again).
/// </summary>
/// <remarks>
/// The monitor keeps a priority queue keyed by each appeal's next due step: a check costs O(k log n) for k due steps,
/// not a scan of every open appeal. It learns of changes from the desk's events and loads open appeals from the store on
/// its first check.
/// </remarks>
public sealed partial class SlaMonitor : IAppealEventSubscriber, IDisposable
{
    private readonly IAppealStore _store;
    private readonly IServiceProvider _services;
    private readonly SlaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PriorityQueue<Guid, DateTimeOffset> _queue = new();
    private readonly Dictionary<Guid, DateTimeOffset> _next = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private IAppealEventSubscriber[]? _subscribers;
    private bool _loaded;

    /// <summary>Initializes a new instance of the <see cref="SlaMonitor"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="services">The service provider (other event subscribers are resolved lazily from it).</param>
    /// <param name="options">The SLA options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public SlaMonitor(IAppealStore store, IServiceProvider services, IOptions<SlaOptions> options, TimeProvider timeProvider, ILogger<SlaMonitor> logger)
    {
        _store = Throw.IfNull(store);
        _services = Throw.IfNull(services);
        _options = Throw.IfNull(options).Value;
        _time = Throw.IfNull(timeProvider);
        _logger = Throw.IfNull(logger);
    }

    /// <inheritdoc/>
    public void Dispose() => _checking.Dispose();

    /// <summary>Gets the number of scheduled checks.</summary>
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

    /// <inheritdoc/>
    ValueTask IAppealEventSubscriber.HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken)
    {
        if (appealEvent.Kind is not (AppealEventKind.SlaWarning or AppealEventKind.SlaBreached))
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
            while (true)
            {
                Guid appealId;
                lock (_gate)
                {
                    if (!_queue.TryPeek(out appealId, out var dueAt) || dueAt > now)
                    {
                        break;
                    }

                    _queue.Dequeue();
                    if (!_next.TryGetValue(appealId, out var scheduled) || scheduled != dueAt)
                    {
                        continue; // superseded by a later schedule of the same appeal
                    }

                    _next.Remove(appealId);
                }

                raised += await RaiseDueStepsAsync(appealId, now, cancellationToken).ConfigureAwait(false);
            }

            return raised;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>Computes the SLA steps of an appeal: (key, due time, event kind), in time order.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="warningThreshold">The share of a target after which the warning is due.</param>
    /// <returns>The steps not yet raised; none for closed appeals, paused clocks or appeals without deadlines.</returns>
    internal static IEnumerable<(string Key, DateTimeOffset DueAt, AppealEventKind Kind)> PendingSteps(Appeal appeal, double warningThreshold)
    {
        if (!appeal.IsOpen || appeal.Deadlines is not { } deadlines || appeal.ClockPausedAt is not null)
        {
            yield break;
        }

        var steps = new List<(string, DateTimeOffset, AppealEventKind)>(4);
        if (appeal.FirstAnsweredAt is null)
        {
            steps.Add(("first-answer:warning", appeal.ReceivedAt + (deadlines.FirstAnswerDue - appeal.ReceivedAt) * warningThreshold, AppealEventKind.SlaWarning));
            steps.Add(("first-answer:breach", deadlines.FirstAnswerDue, AppealEventKind.SlaBreached));
        }

        if (appeal.ResolvedAt is null)
        {
            steps.Add(("resolution:warning", appeal.ReceivedAt + (deadlines.ResolutionDue - appeal.ReceivedAt) * warningThreshold, AppealEventKind.SlaWarning));
            steps.Add(("resolution:breach", deadlines.ResolutionDue, AppealEventKind.SlaBreached));
        }

        foreach (var step in steps.OrderBy(s => s.Item2))
        {
            if (!appeal.RaisedSlaSteps.Contains(step.Item1, StringComparer.Ordinal))
            {
                yield return step;
            }
        }
    }

    private void Schedule(Appeal appeal)
    {
        DateTimeOffset? next = null;
        foreach (var step in PendingSteps(appeal, _options.WarningThreshold))
        {
            next = step.DueAt;
            break;
        }

        lock (_gate)
        {
            if (next is not { } dueAt)
            {
                _next.Remove(appeal.Id);
            }
            else if (!_next.TryGetValue(appeal.Id, out var scheduled) || scheduled != dueAt)
            {
                _next[appeal.Id] = dueAt;
                _queue.Enqueue(appeal.Id, dueAt);
            }
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

            var due = PendingSteps(appeal, _options.WarningThreshold).Where(s => s.DueAt <= now).ToList();
            if (due.Count == 0)
            {
                Schedule(appeal); // a stale entry: schedule the appeal's real next step, if any
                return 0;
            }

            var updated = appeal with { RaisedSlaSteps = [.. appeal.RaisedSlaSteps, .. due.Select(s => s.Key)] };
            foreach (var step in due)
            {
                updated = updated.WithHistory(new AppealHistoryEntry(now, AppealHistoryKind.Sla, $"SLA {step.Key} (due {step.DueAt:O})."));
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
                McuDiagnostics.SlaEvents.Add(1, new KeyValuePair<string, object?>("step", step.Key));
                LogStep(step.Key, stored.Number, stored.UnitId ?? "-", step.DueAt);
                await PublishAsync(new AppealEvent(step.Kind, stored, now, step.Key), cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "SLA {Step} for appeal #{Number} (unit {Unit}), due {DueAt:O}")]
    private partial void LogStep(string step, long number, string unit, DateTimeOffset dueAt);

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
