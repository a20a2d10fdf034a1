using Mcu.Sdk;

namespace Mcu.Samples.Console.Hosting;

/// <summary>Counts the desk's events of a run (accepted, follow-ups, replies delivered, SLA steps) for the run summary.</summary>
/// <remarks>Thread-safe: the dispatcher publishes delivery events from parallel conversations.</remarks>
internal sealed class RunCounters : IAppealEventSubscriber
{
    private readonly long[] _counts = new long[Enum.GetValues<AppealEventKind>().Max(k => (int)k) + 1];
    private readonly Dictionary<string, long> _deliveredByChannel = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Gets the number of events of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public long this[AppealEventKind kind] => Interlocked.Read(ref _counts[(int)kind]);

    /// <summary>Gets the replies delivered per channel, ordered by channel id.</summary>
    /// <returns>The counts.</returns>
    public IReadOnlyList<KeyValuePair<string, long>> DeliveredByChannel()
    {
        lock (_gate)
        {
            return _deliveredByChannel.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        }
    }

    /// <inheritdoc/>
    public ValueTask HandleAsync(AppealEvent appealEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appealEvent);
        Interlocked.Increment(ref _counts[(int)appealEvent.Kind]);
        if (appealEvent.Kind == AppealEventKind.ReplyDelivered && appealEvent.Reply is { } reply)
        {
            lock (_gate)
            {
                var channel = reply.Address.Channel.Value;
                _deliveredByChannel[channel] = _deliveredByChannel.GetValueOrDefault(channel) + 1;
            }
        }

        return ValueTask.CompletedTask;
    }
}
