using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Channels;

/// <summary>What a channel can do when the SDK answers through it.</summary>
public sealed record ChannelCapabilities
{
    /// <summary>Gets the longest text one message may carry; longer replies are split at word boundaries.</summary>
    /// <value>The default value is 4,096 characters.</value>
    public int MaxTextLength { get; init; } = 4096;

    /// <summary>Gets the longest caption of a message with an attachment.</summary>
    /// <value>The default value is 1,024 characters.</value>
    public int MaxCaptionLength { get; init; } = 1024;

    /// <summary>Gets a value indicating whether replies may carry attachments.</summary>
    public bool SupportsAttachments { get; init; }

    /// <summary>Gets a value indicating whether replies can go into a thread or reply to a given message.</summary>
    public bool SupportsThreads { get; init; }

    /// <summary>Gets a value indicating whether the channel deduplicates sends by an idempotency key (VK <c>random_id</c>, <c>guid</c>).</summary>
    public bool SupportsIdempotencyKey { get; init; }

    /// <summary>Gets the largest number of messages per second the channel accepts overall, or <see langword="null"/> for no limit.</summary>
    public double? MaxMessagesPerSecond { get; init; }

    /// <summary>Gets the largest number of messages per second into one conversation, or <see langword="null"/> for no limit.</summary>
    public double? MaxMessagesPerSecondPerConversation { get; init; }
}

/// <summary>One message the dispatcher asks a channel to deliver: a whole reply or one part of a split one.</summary>
/// <param name="Address">Where to deliver it.</param>
/// <param name="Text">The text, already within <see cref="ChannelCapabilities.MaxTextLength"/>.</param>
/// <param name="IdempotencyKey">A key unique to this part of this reply, stable across retries and restarts.</param>
/// <param name="PartIndex">The zero-based index of this part.</param>
/// <param name="PartCount">The number of parts of the reply.</param>
public sealed record OutgoingMessage(ReplyAddress Address, string Text, string IdempotencyKey, int PartIndex = 0, int PartCount = 1)
{
    /// <summary>Gets the attachments to send with this part (the dispatcher puts them on the first part).</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>Gets the appeal the message answers.</summary>
    public Guid AppealId { get; init; }

    /// <summary>Gets the kind of reply (a channel may, for example, attach a rating keyboard to a final answer).</summary>
    public ReplyKind Kind { get; init; }
}

/// <summary>What a channel reports after delivering a message.</summary>
/// <param name="ExternalMessageId">The channel's id of the sent message, if it gives one.</param>
public sealed record DeliveryReceipt(string? ExternalMessageId)
{
    /// <summary>Gets a new reply address when the channel moved the conversation (a Telegram group migrated to a supergroup), or <see langword="null"/>.</summary>
    public ReplyAddress? UpdatedAddress { get; init; }
}

/// <summary>
/// Delivers replies into a channel.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use. They throw <see cref="ChannelException"/> (or a subclass) when delivery
/// fails, saying whether a retry may help; they do not retry themselves: the dispatcher retries, rate-limits and records
/// delivery so that SLA accounting sees it. They honour the cancellation token.
/// </remarks>
public interface IReplySender
{
    /// <summary>Gets the channel this sender delivers to.</summary>
    ChannelId Channel { get; }

    /// <summary>Gets what the channel can do.</summary>
    ChannelCapabilities Capabilities { get; }

    /// <summary>Delivers one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ChannelException">Delivery failed.</exception>
    ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);
}

/// <summary>Accepts inbound messages: implemented by the desk; channel adapters push into it.</summary>
public interface IInboundMessageSink
{
    /// <summary>Accepts a message durably (idempotent by channel and external id).</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What the desk did with it.</returns>
    ValueTask<IngestResult> IngestAsync(InboundMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A batch read from a pull channel, with the checkpoint to store once the batch is accepted.</summary>
/// <param name="Messages">The messages.</param>
/// <param name="NextCheckpoint">The checkpoint after this batch (a Telegram offset, a VK <c>ts</c>), or <see langword="null"/> to keep the current one.</param>
public sealed record PollBatch(IReadOnlyList<InboundMessage> Messages, string? NextCheckpoint)
{
    /// <summary>Gets how many updates the channel returned that were not appeals and were skipped (unknown kinds, service messages).</summary>
    public int Skipped { get; init; }
}

/// <summary>
/// A pull channel (long polling): reads batches of inbound messages after a checkpoint.
/// </summary>
/// <remarks>
/// The SDK's polling service stores <see cref="PollBatch.NextCheckpoint"/> only after every message of the batch was accepted,
/// so a crash replays the batch and the desk's idempotency drops the duplicates. Implementations may wait (long poll) until
/// messages arrive or the cancellation token fires.
/// </remarks>
public interface IChannelPoller
{
    /// <summary>Gets the channel.</summary>
    ChannelId Channel { get; }

    /// <summary>Gets the key under which the checkpoint is stored (unique per poller instance).</summary>
    string CheckpointKey { get; }

    /// <summary>Reads the next batch.</summary>
    /// <param name="checkpoint">The last stored checkpoint, or <see langword="null"/> at first start.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The batch (possibly empty).</returns>
    ValueTask<PollBatch> PollAsync(string? checkpoint, CancellationToken cancellationToken = default);
}

/// <summary>Resolves the reply sender of a channel.</summary>
public interface IReplySenderProvider
{
    /// <summary>Finds the sender of a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The sender, or <see langword="null"/> when no sender is registered for the channel.</returns>
    IReplySender? GetSender(ChannelId channel);

    /// <summary>Gets the channels that have a sender.</summary>
    IReadOnlyCollection<ChannelId> Channels { get; }
}

/// <summary>The default <see cref="IReplySenderProvider"/> over the senders registered in DI.</summary>
internal sealed class ReplySenderProvider : IReplySenderProvider
{
    private readonly Dictionary<ChannelId, IReplySender> _senders = [];

    public ReplySenderProvider(IEnumerable<IReplySender> senders)
    {
        foreach (var sender in Throw.IfNull(senders))
        {
            // The last registration for a channel wins, as with other DI registrations.
            _senders[sender.Channel] = sender;
        }
    }

    public IReadOnlyCollection<ChannelId> Channels => _senders.Keys;

    public IReplySender? GetSender(ChannelId channel) => _senders.GetValueOrDefault(channel);
}
