using System.Collections.Concurrent;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Mcu.Sdk.Replies;

/// <summary>Options of the reply dispatcher, bindable from the <c>Mcu:Dispatcher</c> configuration section.</summary>
public sealed class ReplyDispatcherOptions
{
    /// <summary>Gets or sets how many outbox messages one pass leases.</summary>
    /// <value>From 1 to 10,000. The default value is 200.</value>
    public int BatchSize { get; set; } = 200;

    /// <summary>Gets or sets how long a lease lasts; a crashed dispatcher's messages come back after it.</summary>
    /// <value>From 5 seconds to 1 hour. The default value is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often the background service looks for due messages when nothing wakes it.</summary>
    /// <value>From 10 milliseconds to 1 minute. The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many conversations are served in parallel.</summary>
    /// <value>From 1 to 256. The default value is 8.</value>
    public int MaxParallelConversations { get; set; } = 8;

    /// <summary>Gets or sets how many times a transient error is retried at once (Polly, exponential backoff with jitter, honouring retry-after).</summary>
    /// <value>From 0 to 10. The default value is 3.</value>
    public int ImmediateRetries { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the immediate retries.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many dispatch passes may fail transiently before a message is marked failed.</summary>
    /// <value>From 1 to 1,000. The default value is 10.</value>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Gets or sets the longest wait between two passes of a failing message.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>What one dispatch pass did.</summary>
/// <param name="Delivered">Messages delivered completely.</param>
/// <param name="Rescheduled">Messages that failed transiently and wait for another pass.</param>
/// <param name="Failed">Messages that failed permanently.</param>
public sealed record DispatchSummary(int Delivered, int Rescheduled, int Failed)
{
    /// <summary>Gets the number of messages parked until a person acts.</summary>
    public int Parked { get; init; }

    /// <summary>Gets the number of messages the pass handled.</summary>
    public int Total => Delivered + Rescheduled + Failed + Parked;
}

/// <summary>Delivers the outbox.</summary>
public interface IReplyDispatcher
{
    /// <summary>Delivers every outbox message that is due now, and returns when they are handled.</summary>
    /// <param name="cancellationToken">A token to cancel the operation; leased messages then come back after their lease.</param>
    /// <returns>What the pass did.</returns>
    ValueTask<DispatchSummary> DispatchDueAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The default dispatcher: leases due outbox messages, splits texts to each channel's limit, sends them in order per
/// conversation with Polly retries and per-channel rate limits, records each delivered part, and never loses a reply.
/// </summary>
public sealed partial class ReplyDispatcher : IReplyDispatcher, IDisposable
{
    private readonly IAppealStore _store;
    private readonly IReplySenderProvider _senders;
    private readonly IServiceProvider _services;
    private readonly ReplyDispatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly ConcurrentDictionary<ChannelId, ChannelRateLimiter> _limiters = new();
    private readonly string _owner = "dispatcher-" + Guid.NewGuid().ToString("N")[..12];
    private IAppealEventSubscriber[]? _subscribers;

    /// <summary>Initializes a new instance of the <see cref="ReplyDispatcher"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="senders">The channels' senders.</param>
    /// <param name="services">The service provider (event subscribers are resolved lazily from it).</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ReplyDispatcher(
        IAppealStore store,
        IReplySenderProvider senders,
        IServiceProvider services,
        IOptions<ReplyDispatcherOptions> options,
        TimeProvider timeProvider,
        ILogger<ReplyDispatcher> logger)
    {
        _store = Throw.IfNull(store);
        _senders = Throw.IfNull(senders);
        _services = Throw.IfNull(services);
        _options = Throw.IfNull(options).Value;
        _time = Throw.IfNull(timeProvider);
        _logger = Throw.IfNull(logger);
        _pipeline = BuildPipeline();
    }

    /// <summary>Gets the id this dispatcher leases messages under.</summary>
    public string Owner => _owner;

    /// <inheritdoc/>
    public async ValueTask<DispatchSummary> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        int delivered = 0, rescheduled = 0, failed = 0, parked = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await _store.LeaseOutboxAsync(_time.GetUtcNow(), _options.BatchSize, _options.LeaseDuration, _owner, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            // Replies of one conversation go out in order; conversations are served in parallel.
            var conversations = batch
                .GroupBy(m => (m.Address.Channel, m.Address.ConversationId))
                .Select(g => g.OrderBy(m => m.Sequence).ToArray())
                .ToArray();
            await Parallel.ForEachAsync(
                conversations,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelConversations, CancellationToken = cancellationToken },
                async (messages, ct) =>
                {
                    foreach (var message in messages)
                    {
                        switch (await DeliverAsync(message, ct).ConfigureAwait(false))
                        {
                            case OutboxStatus.Delivered:
                                Interlocked.Increment(ref delivered);
                                break;
                            case OutboxStatus.Pending:
                                Interlocked.Increment(ref rescheduled);
                                break;
                            case OutboxStatus.Parked:
                                Interlocked.Increment(ref parked);
                                break;
                            default:
                                Interlocked.Increment(ref failed);
                                break;
                        }
                    }
                }).ConfigureAwait(false);
        }

        return new DispatchSummary(delivered, rescheduled, failed) { Parked = parked };
    }

    private async ValueTask<OutboxStatus> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var channel = message.Address.Channel;
        var sender = _senders.GetSender(channel);
        if (sender is null)
        {
            return await FailAsync(message, $"No reply sender is registered for channel '{channel}'.", permanent: true, retryAfter: null, cancellationToken).ConfigureAwait(false);
        }

        var parts = TextSplitter.Split(message.Text, Math.Max(16, sender.Capabilities.MaxTextLength));
        var limiter = _limiters.GetOrAdd(channel, _ => new ChannelRateLimiter(_time, sender.Capabilities));
        var current = message with { Attempts = message.Attempts + 1 };
        try
        {
            for (var index = current.DeliveredParts.Count; index < parts.Count; index++)
            {
                var outgoing = new OutgoingMessage(current.Address, parts[index], $"{current.Id:N}:{index}", index, parts.Count)
                {
                    AppealId = current.AppealId,
                    Kind = current.Kind,
                    Attachments = index == 0 ? current.Attachments : [],
                };
                if (!limiter.IsUnlimited)
                {
                    await limiter.AcquireAsync(current.Address.ConversationId, cancellationToken).ConfigureAwait(false);
                }

                var receipt = await _pipeline.ExecuteAsync(
                    static (state, ct) => state.sender.SendAsync(state.outgoing, ct),
                    (sender, outgoing),
                    cancellationToken).ConfigureAwait(false);
                current = current with
                {
                    DeliveredParts = [.. current.DeliveredParts, receipt.ExternalMessageId ?? string.Empty],
                    Address = receipt.UpdatedAddress ?? current.Address,
                };
                if (index < parts.Count - 1)
                {
                    // Record what was sent before sending more: a restart resumes at the next part.
                    await SaveAsync(current, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(current with { Attempts = message.Attempts }).ConfigureAwait(false);
            throw;
        }
        catch (ChannelException ex) when (ex.RequiresIntervention)
        {
            return await ParkAsync(current, Describe(ex), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException ex)
        {
            current = current with { LastError = Describe(ex) };
            return await FailAsync(current, Describe(ex), permanent: !ex.IsTransient, ex.RetryAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(ex, current.Id, channel.Value);
            return await FailAsync(current, $"Unexpected {ex.GetType().Name} from the channel sender.", permanent: false, retryAfter: null, cancellationToken).ConfigureAwait(false);
        }

        var done = current with
        {
            Status = OutboxStatus.Delivered,
            CompletedAt = _time.GetUtcNow(),
            LeaseOwner = null,
            LeaseExpiresAt = null,
            LastError = null,
        };
        if (await SaveAsync(done, cancellationToken).ConfigureAwait(false))
        {
            McuDiagnostics.RepliesDelivered.Add(1, new KeyValuePair<string, object?>("channel", channel.Value));
            if (!done.Address.Equals(message.Address))
            {
                await MoveAppealAddressAsync(done.AppealId, message.Address, done.Address, cancellationToken).ConfigureAwait(false);
            }

            await PublishAsync(AppealEventKind.ReplyDelivered, done, null, cancellationToken).ConfigureAwait(false);
        }

        return OutboxStatus.Delivered;
    }

    private async ValueTask<OutboxStatus> ParkAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        var parked = message with { Status = OutboxStatus.Parked, LastError = error, LeaseOwner = null, LeaseExpiresAt = null };
        if (await SaveAsync(parked, cancellationToken).ConfigureAwait(false))
        {
            LogParked(message.Id, message.Address.Channel.Value, error);
            await PublishAsync(AppealEventKind.ReplyParked, parked, error, cancellationToken).ConfigureAwait(false);
        }

        return OutboxStatus.Parked;
    }

    // The channel moved the conversation: later replies of the appeal must go to the new address.
    private async ValueTask MoveAppealAddressAsync(Guid appealId, ReplyAddress from, ReplyAddress to, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var appeal = await _store.GetAsync(appealId, cancellationToken).ConfigureAwait(false);
            if (appeal is null || !appeal.ReplyAddress.Equals(from))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var moved = (appeal with { ReplyAddress = to })
                .WithHistory(new AppealHistoryEntry(now, AppealHistoryKind.ReplyDelivery, $"The channel moved the conversation from {from.ConversationId} to {to.ConversationId}; the reply address was updated."));
            try
            {
                var stored = await _store.UpdateAsync(moved, [], cancellationToken).ConfigureAwait(false);
                await PublishAsync(AppealEventKind.AddressChanged, stored, to.ConversationId, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Read again and retry.
            }
        }
    }

    private async ValueTask<OutboxStatus> FailAsync(OutboxMessage message, string error, bool permanent, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var attempts = Math.Max(message.Attempts, 1);
        if (!permanent && attempts < _options.MaxAttempts)
        {
            var backoff = retryAfter ?? TimeSpan.FromTicks(Math.Min(_options.MaxBackoff.Ticks, _options.RetryDelay.Ticks * (1L << Math.Min(attempts + 2, 30))));
            var rescheduled = message with { LastError = error, NextAttemptAt = now + backoff, LeaseOwner = null, LeaseExpiresAt = null };
            await SaveAsync(rescheduled, cancellationToken).ConfigureAwait(false);
            LogRescheduled(message.Id, message.Address.Channel.Value, attempts, backoff, error);
            return OutboxStatus.Pending;
        }

        var failed = message with { Status = OutboxStatus.Failed, LastError = error, CompletedAt = now, LeaseOwner = null, LeaseExpiresAt = null };
        if (await SaveAsync(failed, cancellationToken).ConfigureAwait(false))
        {
            McuDiagnostics.RepliesFailed.Add(1, new KeyValuePair<string, object?>("channel", message.Address.Channel.Value));
            LogFailed(message.Id, message.Address.Channel.Value, attempts, error);
            await PublishAsync(AppealEventKind.ReplyFailed, failed, error, cancellationToken).ConfigureAwait(false);
        }

        return OutboxStatus.Failed;
    }

    private async ValueTask<bool> SaveAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var saved = await _store.UpdateOutboxAsync(message, _owner, cancellationToken).ConfigureAwait(false);
        if (!saved)
        {
            LogLeaseLost(message.Id);
        }

        return saved;
    }

    private async ValueTask ReleaseAsync(OutboxMessage message)
    {
        try
        {
            await _store.UpdateOutboxAsync(message with { LeaseOwner = null, LeaseExpiresAt = null }, _owner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease expires by itself; nothing is lost.
            LogUnexpected(ex, message.Id, message.Address.Channel.Value);
        }
    }

    private async ValueTask PublishAsync(AppealEventKind kind, OutboxMessage message, string? detail, CancellationToken cancellationToken)
    {
        _subscribers ??= _services.GetServices<IAppealEventSubscriber>().ToArray();
        if (_subscribers.Length == 0)
        {
            return;
        }

        var appeal = await _store.GetAsync(message.AppealId, cancellationToken).ConfigureAwait(false);
        if (appeal is not null)
        {
            await PublishAsync(new AppealEvent(kind, appeal, _time.GetUtcNow(), detail, message), cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask PublishAsync(AppealEventKind kind, Appeal appeal, string? detail, CancellationToken cancellationToken) =>
        PublishAsync(new AppealEvent(kind, appeal, _time.GetUtcNow(), detail), cancellationToken);

    private async ValueTask PublishAsync(AppealEvent appealEvent, CancellationToken cancellationToken)
    {
        _subscribers ??= _services.GetServices<IAppealEventSubscriber>().ToArray();
        foreach (var subscriber in _subscribers)
        {
            try
            {
                await subscriber.HandleAsync(appealEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSubscriberFailed(ex, subscriber.GetType().Name, appealEvent.Kind.ToString());
            }
        }
    }

    private static string Describe(ChannelException ex) =>
        ex.ErrorCode is { } code ? $"{ex.GetType().Name} ({code}): {ex.Message}" : $"{ex.GetType().Name}: {ex.Message}";

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (_options.ImmediateRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // A wait longer than half the lease (a daily quota, long flood control) is not waited out in place:
                // the message is rescheduled for after the retry-after and the lease is released.
                ShouldHandle = new PredicateBuilder().Handle<ChannelException>(ex =>
                    ex.IsTransient && !ex.RequiresIntervention && ex is not RecipientUnreachableException
                    && (ex.RetryAfter is null || ex.RetryAfter <= _options.LeaseDuration / 2)),
                MaxRetryAttempts = _options.ImmediateRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxBackoff,
                DelayGenerator = static args =>
                    ValueTask.FromResult(args.Outcome.Exception is ChannelException { RetryAfter: { } retryAfter } ? (TimeSpan?)retryAfter : null),
                OnRetry = args =>
                {
                    McuDiagnostics.ReplyRetries.Add(1);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }

        _limiters.Clear();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Reply {OutboxId} to {Channel} failed (attempt {Attempts}); retrying in {Backoff}: {Error}")]
    private partial void LogRescheduled(Guid outboxId, string channel, int attempts, TimeSpan backoff, string error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Reply {OutboxId} to {Channel} failed permanently after {Attempts} attempt(s): {Error}")]
    private partial void LogFailed(Guid outboxId, string channel, int attempts, string error);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Lease of reply {OutboxId} was lost to another dispatcher; its result was not stored")]
    private partial void LogLeaseLost(Guid outboxId);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Reply {OutboxId} to {Channel} parked until a person acts: {Error}")]
    private partial void LogParked(Guid outboxId, string channel, string error);

    [LoggerMessage(EventId = 26, Level = LogLevel.Error, Message = "Event subscriber {Subscriber} failed on {Kind}")]
    private partial void LogSubscriberFailed(Exception exception, string subscriber, string kind);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Unexpected error while delivering reply {OutboxId} to {Channel}")]
    private partial void LogUnexpected(Exception exception, Guid outboxId, string channel);
}

/// <summary>Wakes the dispatcher service when a reply is queued.</summary>
internal sealed class DispatcherSignal : IAppealEventSubscriber
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken = default)
    {
        if (appealEvent.Kind == AppealEventKind.ReplyQueued)
        {
            Volatile.Read(ref _signal).TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Re-arms the signal; call before a pass so that replies queued during the pass wake the next wait.</summary>
    public void Reset()
    {
        var current = Volatile.Read(ref _signal);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var signalled = Volatile.Read(ref _signal).Task;
        if (signalled.IsCompleted)
        {
            return;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, delayCancellation.Token);
        await Task.WhenAny(signalled, delay).ConfigureAwait(false);
        await delayCancellation.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>Runs the dispatcher in the background: a pass whenever a reply is queued, and at least every poll interval.</summary>
internal sealed partial class ReplyDispatcherService(
    IReplyDispatcher dispatcher,
    DispatcherSignal signal,
    IOptions<ReplyDispatcherOptions> options,
    TimeProvider time,
    ILogger<ReplyDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                signal.Reset();
                await dispatcher.DispatchDueAsync(stoppingToken).ConfigureAwait(false);
                await signal.WaitAsync(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogPassFailed(ex);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "A dispatch pass failed; retrying after the poll interval")]
    private partial void LogPassFailed(Exception exception);
}
