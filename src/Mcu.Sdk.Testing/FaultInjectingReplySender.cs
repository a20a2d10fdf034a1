using System.Collections.Concurrent;
using Mcu.Sdk.Channels;

namespace Mcu.Sdk.Testing;

/// <summary>A failure a fake channel plays instead of delivering.</summary>
public enum ChannelFault
{
    /// <summary>A failure a retry may cure (HTTP 5xx, network error): <see cref="ChannelException.IsTransient"/> is <see langword="true"/>.</summary>
    Transient = 0,

    /// <summary>A failure no retry cures (HTTP 400): <see cref="ChannelException.IsTransient"/> is <see langword="false"/>.</summary>
    Permanent = 1,

    /// <summary>The channel never answers; only cancellation ends the attempt.</summary>
    Hang = 2,
}

/// <summary>
/// Wraps any <see cref="IReplySender"/> (for example <see cref="LoopbackChannel"/>) with planned failures: each planned
/// <see cref="ChannelFault"/> replaces one delivery attempt, in order; attempts without a planned fault go to the inner sender.
/// </summary>
/// <remarks>Thread-safe. A canceled token is honoured before anything is counted or sent.</remarks>
public sealed class FaultInjectingReplySender : IReplySender
{
    private readonly IReplySender _inner;
    private readonly ConcurrentQueue<ChannelFault> _faults = new();
    private int _attempts;

    /// <summary>Initializes a new instance of the <see cref="FaultInjectingReplySender"/> class.</summary>
    /// <param name="inner">The sender that delivers when no fault is planned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is <see langword="null"/>.</exception>
    public FaultInjectingReplySender(IReplySender inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public ChannelId Channel => _inner.Channel;

    /// <inheritdoc/>
    public ChannelCapabilities Capabilities => _inner.Capabilities;

    /// <summary>Gets the number of delivery attempts so far, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Plans a failure for the next attempts.</summary>
    /// <param name="fault">The failure.</param>
    /// <param name="count">How many attempts it replaces, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or <paramref name="fault"/> is undefined.</exception>
    public void InjectFault(ChannelFault fault, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(fault))
        {
            throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown fault.");
        }

        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _attempts);
        if (_faults.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case ChannelFault.Transient:
                    throw new ChannelException("Injected transient failure (503 Service Unavailable).") { Channel = Channel, IsTransient = true, ErrorCode = 503 };
                case ChannelFault.Permanent:
                    throw new ChannelException("Injected permanent failure (400 Bad Request).") { Channel = Channel, IsTransient = false, ErrorCode = 400 };
                default:
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return await _inner.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
