using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels;

/// <summary>Options of the polling intake, bindable from the <c>Mcu:Polling</c> configuration section.</summary>
public sealed class ChannelPollingOptions
{
    /// <summary>Gets or sets the pause after an empty batch (for pollers that return at once when nothing is there).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the first pause after a failure; it doubles up to <see cref="MaxErrorDelay"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ErrorDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest pause after repeated failures.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxErrorDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Runs every registered <see cref="IChannelPoller"/>: reads a batch after the stored checkpoint, accepts each message
/// through the desk, and stores the new checkpoint only when the whole batch was accepted.
/// </summary>
public sealed partial class ChannelPollingService : BackgroundService
{
    private readonly IChannelPoller[] _pollers;
    private readonly IInboundMessageSink _sink;
    private readonly ICheckpointStore _checkpoints;
    private readonly ChannelPollingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ChannelPollingService"/> class.</summary>
    /// <param name="pollers">The pollers.</param>
    /// <param name="sink">The desk.</param>
    /// <param name="checkpoints">The checkpoint store.</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ChannelPollingService(
        IEnumerable<IChannelPoller> pollers,
        IInboundMessageSink sink,
        ICheckpointStore checkpoints,
        IOptions<ChannelPollingOptions> options,
        TimeProvider timeProvider,
        ILogger<ChannelPollingService> logger)
    {
        ArgumentNullException.ThrowIfNull(pollers);
        _pollers = pollers.ToArray();
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _checkpoints = checkpoints ?? throw new ArgumentNullException(nameof(checkpoints));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Polls one batch of one poller and accepts it.</summary>
    /// <param name="poller">The poller.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The number of messages accepted (new, follow-ups and duplicates).</returns>
    public async ValueTask<int> PollOnceAsync(IChannelPoller poller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(poller);
        var checkpoint = await _checkpoints.GetCheckpointAsync(poller.CheckpointKey, cancellationToken).ConfigureAwait(false);
        var batch = await poller.PollAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < batch.Skipped; i++)
        {
            McuDiagnostics.RecordSkippedUpdate(poller.Channel, "not_an_appeal");
        }

        foreach (var message in batch.Messages)
        {
            await _sink.IngestAsync(message, cancellationToken).ConfigureAwait(false);
        }

        if (batch.NextCheckpoint is { } next && !string.Equals(next, checkpoint, StringComparison.Ordinal))
        {
            await _checkpoints.SetCheckpointAsync(poller.CheckpointKey, next, cancellationToken).ConfigureAwait(false);
        }

        return batch.Messages.Count;
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_pollers.Select(poller => RunAsync(poller, stoppingToken)));

    private async Task RunAsync(IChannelPoller poller, CancellationToken stoppingToken)
    {
        var errorDelay = _options.ErrorDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await PollOnceAsync(poller, stoppingToken).ConfigureAwait(false);
                errorDelay = _options.ErrorDelay;
                if (count == 0)
                {
                    await Task.Delay(_options.IdleDelay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogPollFailed(ex, poller.Channel.Value, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(_options.MaxErrorDelay.Ticks, errorDelay.Ticks * 2));
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "Polling {Channel} failed; the batch will be read again after {Delay} (its checkpoint was not advanced)")]
    private partial void LogPollFailed(Exception exception, string channel, TimeSpan delay);
}
