using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Mcu.Sdk.Diagnostics;

/// <summary>
/// The SDK's metrics (meter <c>Mcu.Sdk</c>) and traces (activity source <c>Mcu.Sdk</c>), usable by OpenTelemetry
/// (<c>AddMeter("Mcu.Sdk")</c>, <c>AddSource("Mcu.Sdk")</c>) without depending on it.
/// </summary>
public static class McuDiagnostics
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Mcu.Sdk";

    private static readonly string? Version = typeof(McuDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    internal static readonly ActivitySource ActivitySource = new(Name, Version);
    internal static readonly Meter Meter = new(Name, Version);

    internal static readonly Counter<long> AppealsAccepted = Meter.CreateCounter<long>("mcu.appeals.accepted", "{appeal}", "New appeals accepted.");
    internal static readonly Counter<long> FollowUps = Meter.CreateCounter<long>("mcu.appeals.follow_ups", "{message}", "Follow-up messages joined to open appeals.");
    internal static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("mcu.inbound.duplicates", "{message}", "Inbound messages dropped as duplicates.");
    internal static readonly Counter<long> Skipped = Meter.CreateCounter<long>("mcu.inbound.skipped", "{update}", "Inbound updates skipped: unknown kinds, malformed input.");
    internal static readonly Counter<long> RepliesDelivered = Meter.CreateCounter<long>("mcu.replies.delivered", "{reply}", "Replies delivered.");
    internal static readonly Counter<long> RepliesFailed = Meter.CreateCounter<long>("mcu.replies.failed", "{reply}", "Replies that failed permanently.");
    internal static readonly Counter<long> ReplyRetries = Meter.CreateCounter<long>("mcu.replies.retries", "{attempt}", "Delivery attempts retried after transient errors.");
    internal static readonly Counter<long> SlaEvents = Meter.CreateCounter<long>("mcu.sla.events", "{event}", "SLA warnings and breaches raised.");
    internal static readonly Histogram<double> IngestDuration = Meter.CreateHistogram<double>("mcu.ingest.duration", "ms", "Time to accept one inbound message.");

    /// <summary>Counts an inbound update a channel adapter skipped (unknown kind, malformed body, wrong secret).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="reason">A short machine-readable reason such as <c>unknown_update_kind</c>.</param>
    public static void RecordSkippedUpdate(ChannelId channel, string reason) =>
        Skipped.Add(1, new KeyValuePair<string, object?>("channel", channel.Value), new KeyValuePair<string, object?>("reason", reason));
}
