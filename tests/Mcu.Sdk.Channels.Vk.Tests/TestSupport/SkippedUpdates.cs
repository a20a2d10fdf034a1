using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Mcu.Sdk.Diagnostics;

namespace Mcu.Sdk.Channels.Vk.Tests.TestSupport;

/// <summary>Listens to the <c>mcu.inbound.skipped</c> counter of channel <c>vk</c> and counts it by reason.</summary>
/// <remarks>The meter is process-wide: tests that read it run in the <see cref="MetricsTests"/> collection, one at a time.</remarks>
internal sealed class SkippedUpdates : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public SkippedUpdates()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == McuDiagnostics.Name && instrument.Name == "mcu.inbound.skipped")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? channel = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "channel")
                {
                    channel = tag.Value as string;
                }
                else if (tag.Key == "reason")
                {
                    reason = tag.Value as string;
                }
            }

            if (channel == "vk" && reason is not null)
            {
                _byReason.AddOrUpdate(reason, value, (_, old) => old + value);
            }
        });
        _listener.Start();
    }

    public long Of(string reason) => _byReason.GetValueOrDefault(reason);

    public void Dispose() => _listener.Dispose();
}

/// <summary>Tests that read process-wide metrics run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsTests
{
    public const string Name = "Metrics";
}
