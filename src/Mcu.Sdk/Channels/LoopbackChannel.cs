using System.Collections.Concurrent;
using System.Globalization;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Channels;

/// <summary>
/// An in-process channel for samples, tests and hosts without a real channel: it records every reply it is asked to deliver,
/// and it can be polled for messages enqueued by the host.
/// </summary>
/// <remarks>Thread-safe. Deduplicates deliveries by idempotency key, as a channel with native idempotency would.</remarks>
public sealed class LoopbackChannel : IReplySender, IChannelPoller
{
    private readonly ConcurrentQueue<InboundMessage> _inbound = new();
    private readonly ConcurrentQueue<DeliveredMessage> _delivered = new();
    private readonly ConcurrentDictionary<string, DeliveredMessage> _byKey = new(StringComparer.Ordinal);
    private long _nextMessageId;
    private long _polledOffset;

    /// <summary>Initializes a new instance of the <see cref="LoopbackChannel"/> class.</summary>
    /// <param name="channel">The channel id it stands for; <see cref="ChannelId.Loopback"/> by default.</param>
    /// <param name="capabilities">Its capabilities; 4,096 characters, attachments and threads by default.</param>
    public LoopbackChannel(ChannelId? channel = null, ChannelCapabilities? capabilities = null)
    {
        Channel = channel ?? ChannelId.Loopback;
        Capabilities = capabilities ?? new ChannelCapabilities { SupportsAttachments = true, SupportsThreads = true, SupportsIdempotencyKey = true };
    }

    /// <inheritdoc/>
    public ChannelId Channel { get; }

    /// <inheritdoc/>
    public ChannelCapabilities Capabilities { get; }

    /// <inheritdoc/>
    public string CheckpointKey => $"loopback:{Channel}";

    /// <summary>Gets the messages delivered so far, in delivery order (duplicates by idempotency key are delivered once).</summary>
    public IReadOnlyList<DeliveredMessage> Delivered => _delivered.ToArray();

    /// <summary>Gets how many sends were dropped as duplicates of an idempotency key already delivered.</summary>
    public int DuplicateSends => _duplicateSends;

    private int _duplicateSends;

    /// <summary>Enqueues a citizen's message for <see cref="PollAsync"/>.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="ArgumentException">The message is of another channel.</exception>
    public void Enqueue(InboundMessage message)
    {
        Throw.IfNull(message);
        if (message.Channel != Channel)
        {
            throw new ArgumentException($"The message is of channel '{message.Channel}', this loopback channel is '{Channel}'.", nameof(message));
        }

        _inbound.Enqueue(message);
    }

    /// <inheritdoc/>
    public ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (message.Text.Length > Capabilities.MaxTextLength)
        {
            throw new ChannelException($"The text has {message.Text.Length} characters; the channel accepts at most {Capabilities.MaxTextLength}.")
            {
                Channel = Channel,
                IsTransient = false,
            };
        }

        if (_byKey.TryGetValue(message.IdempotencyKey, out var existing))
        {
            Interlocked.Increment(ref _duplicateSends);
            return ValueTask.FromResult(new DeliveryReceipt(existing.ExternalMessageId));
        }

        var id = Interlocked.Increment(ref _nextMessageId).ToString(CultureInfo.InvariantCulture);
        var delivered = new DeliveredMessage(message, id);
        if (_byKey.TryAdd(message.IdempotencyKey, delivered))
        {
            _delivered.Enqueue(delivered);
        }
        else
        {
            Interlocked.Increment(ref _duplicateSends);
        }

        return ValueTask.FromResult(new DeliveryReceipt(_byKey[message.IdempotencyKey].ExternalMessageId));
    }

    /// <inheritdoc/>
    /// <remarks>Returns up to 100 enqueued messages; the checkpoint counts the messages handed out so far.</remarks>
    public ValueTask<PollBatch> PollAsync(string? checkpoint, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = new List<InboundMessage>();
        while (batch.Count < 100 && _inbound.TryDequeue(out var message))
        {
            batch.Add(message);
        }

        var offset = Interlocked.Add(ref _polledOffset, batch.Count);
        return ValueTask.FromResult(new PollBatch(batch, batch.Count == 0 ? null : offset.ToString(CultureInfo.InvariantCulture)));
    }
}

/// <summary>A message the loopback channel delivered.</summary>
/// <param name="Message">What was sent.</param>
/// <param name="ExternalMessageId">The id the channel assigned.</param>
public sealed record DeliveredMessage(OutgoingMessage Message, string ExternalMessageId);
