using System.Collections.Concurrent;
using System.Globalization;
using Mcu.Sdk.Channels;

namespace Mcu.Sdk.Testing;

/// <summary>
/// A fake channel that records every delivery attempt and lets a test decide each attempt's outcome
/// (succeed, throw a transient or permanent error, wait for cancellation).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RecordingReplySender : IReplySender
{
    private readonly ConcurrentQueue<OutgoingMessage> _attempts = new();
    private readonly ConcurrentQueue<OutgoingMessage> _delivered = new();
    private long _nextId;

    /// <summary>Initializes a new instance of the <see cref="RecordingReplySender"/> class.</summary>
    /// <param name="channel">The channel it stands for.</param>
    /// <param name="capabilities">Its capabilities; 4,096 characters, threads, no rate limits by default.</param>
    public RecordingReplySender(ChannelId channel, ChannelCapabilities? capabilities = null)
    {
        Channel = channel;
        Capabilities = capabilities ?? new ChannelCapabilities { SupportsThreads = true, SupportsAttachments = true };
    }

    /// <inheritdoc/>
    public ChannelId Channel { get; }

    /// <inheritdoc/>
    public ChannelCapabilities Capabilities { get; }

    /// <summary>
    /// Gets or sets a callback run on each attempt before it is recorded as delivered: throw from it to fail the attempt,
    /// or await something to delay it. The argument is the 1-based attempt number across all messages.
    /// </summary>
    public Func<OutgoingMessage, int, CancellationToken, ValueTask>? OnSend { get; set; }

    /// <summary>
    /// Gets or sets a callback that reports a moved conversation for a delivered message (as Telegram does when a group becomes a
    /// supergroup): its result becomes <see cref="DeliveryReceipt.UpdatedAddress"/>.
    /// </summary>
    public Func<OutgoingMessage, ReplyAddress?>? AddressUpdate { get; set; }

    /// <summary>Gets every attempt, in order (failed ones too).</summary>
    public IReadOnlyList<OutgoingMessage> Attempts => _attempts.ToArray();

    /// <summary>Gets the messages delivered, in order.</summary>
    public IReadOnlyList<OutgoingMessage> Delivered => _delivered.ToArray();

    private int _attemptCount;

    /// <inheritdoc/>
    public async ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        _attempts.Enqueue(message);
        var attempt = Interlocked.Increment(ref _attemptCount);
        if (OnSend is { } onSend)
        {
            await onSend(message, attempt, cancellationToken).ConfigureAwait(false);
        }

        if (message.Text.Length > Capabilities.MaxTextLength)
        {
            throw new ChannelException($"Text of {message.Text.Length} characters exceeds the limit {Capabilities.MaxTextLength}.") { Channel = Channel };
        }

        _delivered.Enqueue(message);
        return new DeliveryReceipt(Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture))
        {
            UpdatedAddress = AddressUpdate?.Invoke(message),
        };
    }
}
