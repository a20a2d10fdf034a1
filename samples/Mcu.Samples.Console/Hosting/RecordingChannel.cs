using System.Globalization;
using System.Text.Json;
using Mcu.Sdk;
using Mcu.Sdk.Channels;

namespace Mcu.Samples.Console.Hosting;

/// <summary>
/// An offline channel that records every reply part it is asked to send in the deliveries journal (synced to the disk
/// before the send is acknowledged), instead of sending it anywhere. A channel with an idempotency key behaves as VK does
/// with <c>random_id</c>: a resend of a key it has delivered before — in this run or in an earlier one, because the journal
/// is the channel's memory, as a real channel's server outlives the host — is acknowledged without delivering it again and
/// is recorded as <see cref="DeliveryRecord.Deduplicated"/>. A channel without one delivers every send it gets.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class RecordingChannel : IReplySender
{
    private readonly DeliveryJournal _journal;
    private long _messageIds;

    /// <summary>Initializes a new instance of the <see cref="RecordingChannel"/> class.</summary>
    /// <param name="channel">The channel it stands for.</param>
    /// <param name="idempotencyKey">Whether the channel deduplicates sends by idempotency key.</param>
    /// <param name="journal">The deliveries journal, shared by the channels of a run.</param>
    public RecordingChannel(ChannelId channel, bool idempotencyKey, DeliveryJournal journal)
    {
        Channel = channel;
        _journal = journal;
        Capabilities = new ChannelCapabilities
        {
            MaxTextLength = 4096,
            SupportsAttachments = true,
            SupportsThreads = true,
            SupportsIdempotencyKey = idempotencyKey,
        };
    }

    /// <summary>Gets the channels of the sample that have an idempotency key: VK (<c>random_id</c>).</summary>
    public static IReadOnlySet<ChannelId> ChannelsWithIdempotencyKey { get; } = new HashSet<ChannelId> { ChannelId.Vk };

    /// <inheritdoc/>
    public ChannelId Channel { get; }

    /// <inheritdoc/>
    public ChannelCapabilities Capabilities { get; }

    /// <inheritdoc/>
    public ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (message.Text.Length > Capabilities.MaxTextLength)
        {
            throw new ChannelException($"The text has {message.Text.Length} characters; the channel accepts at most {Capabilities.MaxTextLength}.")
            {
                Channel = Channel,
                IsTransient = false,
            };
        }

        var delivered = _journal.Record(this, message);
        var id = delivered
            ? string.Create(CultureInfo.InvariantCulture, $"{Channel}-{Interlocked.Increment(ref _messageIds)}")
            : "deduplicated:" + message.IdempotencyKey;
        return ValueTask.FromResult(new DeliveryReceipt(id));
    }
}

/// <summary>
/// The deliveries journal of <c>mcu replay --deliveries FILE</c>: one JSON line per send a <see cref="RecordingChannel"/>
/// gets, synced to the disk before the send is acknowledged.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class DeliveryJournal : IDisposable
{
    private readonly SyncedJournal _journal;
    private readonly HashSet<string> _deliveredKeys;
    private readonly Action<DeliveryRecord>? _onRecord;
    private readonly Lock _gate = new();

    private DeliveryJournal(SyncedJournal journal, HashSet<string> deliveredKeys, Action<DeliveryRecord>? onRecord)
    {
        _journal = journal;
        _deliveredKeys = deliveredKeys;
        _onRecord = onRecord;
    }

    /// <summary>Gets how many parts this run delivered.</summary>
    public int Delivered { get; private set; }

    /// <summary>Gets how many resends this run deduplicated by idempotency key.</summary>
    public int Deduplicated { get; private set; }

    /// <summary>Opens (or creates) a deliveries journal and reads the keys delivered by earlier runs.</summary>
    /// <param name="path">The file.</param>
    /// <param name="onRecord">Called after each line is synced, or <see langword="null"/>.</param>
    /// <returns>The journal.</returns>
    /// <exception cref="InvalidDataException">A complete line of the file is not a delivery record.</exception>
    /// <exception cref="IOException">The file cannot be read or opened.</exception>
    public static DeliveryJournal Open(string path, Action<DeliveryRecord>? onRecord)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, text) in SyncedJournal.Read(path))
        {
            DeliveryRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(text, JournalJsonContext.Default.DeliveryRecord);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: not a deliveries journal line: {ex.Message}"), ex);
            }

            if (record is null || record.Key.Length == 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: not a deliveries journal line."));
            }

            if (record.Event == DeliveryRecord.Delivered)
            {
                keys.Add(record.Key);
            }
        }

        return new DeliveryJournal(new SyncedJournal(path), keys, onRecord);
    }

    /// <summary>Records a send: as delivered, or as deduplicated when the channel has an idempotency key it delivered before.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="message">The part.</param>
    /// <returns><see langword="true"/> when the part was delivered; <see langword="false"/> when the resend was deduplicated.</returns>
    public bool Record(IReplySender channel, OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        var record = new DeliveryRecord
        {
            Channel = channel.Channel.Value,
            Conversation = message.Address.ConversationId,
            AppealId = message.AppealId,
            OutboxId = OutboxId(message.IdempotencyKey),
            Part = message.PartIndex,
            Parts = message.PartCount,
            Key = message.IdempotencyKey,
            Text = message.Text,
        };
        lock (_gate)
        {
            var resend = channel.Capabilities.SupportsIdempotencyKey && _deliveredKeys.Contains(message.IdempotencyKey);
            record.Event = resend ? DeliveryRecord.Deduplicated : DeliveryRecord.Delivered;
            _journal.Append(JsonSerializer.Serialize(record, JournalJsonContext.Readable.DeliveryRecord));
            if (resend)
            {
                Deduplicated++;
            }
            else
            {
                _deliveredKeys.Add(message.IdempotencyKey);
                Delivered++;
            }
        }

        _onRecord?.Invoke(record);
        return record.Event == DeliveryRecord.Delivered;
    }

    /// <inheritdoc/>
    public void Dispose() => _journal.Dispose();

    // The dispatcher's key is "<outbox id, 32 hex digits>:<part>".
    private static Guid OutboxId(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return Guid.TryParseExact(colon < 0 ? key : key[..colon], "N", out var id) ? id : Guid.Empty;
    }
}
