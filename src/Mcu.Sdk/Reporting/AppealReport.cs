using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Reporting;

/// <summary>First-answer time statistics, in minutes of calendar time from receipt to the first interim or final answer.</summary>
/// <param name="Count">How many appeals were answered.</param>
/// <param name="AverageMinutes">The mean, or <see langword="null"/> when none was answered.</param>
/// <param name="MedianMinutes">The median, or <see langword="null"/>.</param>
/// <param name="P90Minutes">The 90th percentile (nearest rank), or <see langword="null"/>.</param>
public sealed record AnswerTimeStatistics(int Count, double? AverageMinutes, double? MedianMinutes, double? P90Minutes)
{
    /// <summary>Computes the statistics of a set of durations.</summary>
    /// <param name="durations">The durations.</param>
    /// <returns>The statistics.</returns>
    public static AnswerTimeStatistics From(IEnumerable<TimeSpan> durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        var minutes = durations.Select(d => d.TotalMinutes).Order().ToArray();
        if (minutes.Length == 0)
        {
            return new AnswerTimeStatistics(0, null, null, null);
        }

        var median = minutes.Length % 2 == 1
            ? minutes[minutes.Length / 2]
            : (minutes[(minutes.Length / 2) - 1] + minutes[minutes.Length / 2]) / 2;
        var p90 = minutes[(int)Math.Ceiling(0.9 * minutes.Length) - 1];
        return new AnswerTimeStatistics(minutes.Length, Math.Round(minutes.Average(), 2), Math.Round(median, 2), Math.Round(p90, 2));
    }
}

/// <summary>The statistics of appeals received in a period: counts by channel, topic, unit and status, answer speed and overdue answers.</summary>
public sealed record AppealReport
{
    /// <summary>Gets the start of the period (inclusive), or <see langword="null"/> for the beginning.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the end of the period (exclusive), or <see langword="null"/> for now.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the moment the report was computed ("now" for overdue open appeals).</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets the number of appeals received in the period.</summary>
    public required int Total { get; init; }

    /// <summary>Gets the counts by channel.</summary>
    public required IReadOnlyDictionary<string, int> ByChannel { get; init; }

    /// <summary>Gets the counts by topic.</summary>
    public required IReadOnlyDictionary<string, int> ByTopic { get; init; }

    /// <summary>Gets the counts by responsible unit (<c>none</c> for rejected appeals).</summary>
    public required IReadOnlyDictionary<string, int> ByDepartment { get; init; }

    /// <summary>Gets the counts by status.</summary>
    public required IReadOnlyDictionary<string, int> ByStatus { get; init; }

    /// <summary>Gets the first-answer time statistics.</summary>
    public required AnswerTimeStatistics FirstAnswer { get; init; }

    /// <summary>Gets the number of overdue appeals per unit: first answer or resolution later than its deadline (or still missing past it).</summary>
    public required IReadOnlyDictionary<string, int> OverdueByDepartment { get; init; }

    /// <summary>Gets the number of urgent appeals.</summary>
    public int Urgent { get; init; }

    /// <summary>Gets the number of out-of-scope appeals.</summary>
    public int OutOfScope { get; init; }

    /// <summary>Gets the number of appeals found by monitoring.</summary>
    public int FoundByMonitoring { get; init; }

    /// <summary>Builds a report from appeals.</summary>
    /// <param name="appeals">The appeals (those outside the period are ignored).</param>
    /// <param name="now">The moment of the report.</param>
    /// <param name="from">The start of the period, or <see langword="null"/>.</param>
    /// <param name="to">The end of the period, or <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    public static AppealReport Build(IEnumerable<Appeal> appeals, DateTimeOffset now, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(appeals);
        var builder = new Builder(now, from, to);
        foreach (var appeal in appeals)
        {
            builder.Add(appeal);
        }

        return builder.Build();
    }

    /// <summary>Builds a report from a store, streaming the appeals of the period.</summary>
    /// <param name="store">The store.</param>
    /// <param name="now">The moment of the report.</param>
    /// <param name="from">The start of the period, or <see langword="null"/>.</param>
    /// <param name="to">The end of the period, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The report.</returns>
    public static async ValueTask<AppealReport> BuildAsync(IAppealStore store, DateTimeOffset now, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(store);
        var builder = new Builder(now, from, to);
        await foreach (var appeal in store.QueryAsync(new AppealQuery { ReceivedFrom = from, ReceivedTo = to }, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(appeal);
        }

        return builder.Build();
    }

    /// <summary>Tells whether an appeal is overdue at a moment.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="now">The moment.</param>
    /// <returns><see langword="true"/> when its first answer or resolution came (or is still missing) after the deadline.</returns>
    public static bool IsOverdue(Appeal appeal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(appeal);
        if (appeal.Deadlines is not { } deadlines || appeal.Status == AppealStatus.Rejected)
        {
            return false;
        }

        var clock = appeal.ClockPausedAt ?? now;
        var firstAnswer = appeal.FirstAnsweredAt ?? clock;
        var resolution = appeal.ResolvedAt ?? (appeal.IsOpen ? clock : appeal.ClosedAt ?? clock);
        return firstAnswer > deadlines.FirstAnswerDue || resolution > deadlines.ResolutionDue;
    }

    /// <summary>Writes the report as JSON (camelCase keys).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("period");
            WriteTime(writer, "from", From);
            WriteTime(writer, "to", To);
            writer.WriteEndObject();
            writer.WriteString("generatedAt", GeneratedAt);
            writer.WriteNumber("total", Total);
            WriteCounts(writer, "byChannel", ByChannel);
            WriteCounts(writer, "byTopic", ByTopic);
            WriteCounts(writer, "byDepartment", ByDepartment);
            WriteCounts(writer, "byStatus", ByStatus);
            writer.WriteStartObject("firstAnswer");
            writer.WriteNumber("count", FirstAnswer.Count);
            WriteNumber(writer, "averageMinutes", FirstAnswer.AverageMinutes);
            WriteNumber(writer, "medianMinutes", FirstAnswer.MedianMinutes);
            WriteNumber(writer, "p90Minutes", FirstAnswer.P90Minutes);
            writer.WriteEndObject();
            WriteCounts(writer, "overdueByDepartment", OverdueByDepartment);
            writer.WriteNumber("urgent", Urgent);
            writer.WriteNumber("outOfScope", OutOfScope);
            writer.WriteNumber("foundByMonitoring", FoundByMonitoring);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the report as CSV with the columns <c>section,key,value</c>.</summary>
    /// <returns>The CSV text.</returns>
    public string ToCsv()
    {
        var csv = new StringBuilder("section,key,value\n");
        void Row(string section, string key, string value) =>
            csv.Append(Escape(section)).Append(',').Append(Escape(key)).Append(',').Append(Escape(value)).Append('\n');

        Row("period", "from", From?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty);
        Row("period", "to", To?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty);
        Row("total", string.Empty, Total.ToString(CultureInfo.InvariantCulture));
        foreach (var (section, counts) in Sections())
        {
            foreach (var (key, value) in counts)
            {
                Row(section, key, value.ToString(CultureInfo.InvariantCulture));
            }
        }

        Row("firstAnswer", "count", FirstAnswer.Count.ToString(CultureInfo.InvariantCulture));
        Row("firstAnswer", "averageMinutes", Format(FirstAnswer.AverageMinutes));
        Row("firstAnswer", "medianMinutes", Format(FirstAnswer.MedianMinutes));
        Row("firstAnswer", "p90Minutes", Format(FirstAnswer.P90Minutes));
        Row("flags", "urgent", Urgent.ToString(CultureInfo.InvariantCulture));
        Row("flags", "outOfScope", OutOfScope.ToString(CultureInfo.InvariantCulture));
        Row("flags", "foundByMonitoring", FoundByMonitoring.ToString(CultureInfo.InvariantCulture));
        return csv.ToString();
    }

    /// <summary>Writes the report as Markdown tables.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("# Appeals report\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Period: {From?.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) ?? "beginning"} — {To?.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) ?? "now"}. Generated {GeneratedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"**Total: {Total}** (urgent {Urgent}, out of scope {OutOfScope}, found by monitoring {FoundByMonitoring})\n\n");
        md.Append("## First answer\n\n| count | average, min | median, min | p90, min |\n|---:|---:|---:|---:|\n");
        md.Append(CultureInfo.InvariantCulture, $"| {FirstAnswer.Count} | {Format(FirstAnswer.AverageMinutes)} | {Format(FirstAnswer.MedianMinutes)} | {Format(FirstAnswer.P90Minutes)} |\n\n");
        foreach (var (section, counts) in Sections())
        {
            md.Append(CultureInfo.InvariantCulture, $"## {section}\n\n| key | count |\n|---|---:|\n");
            foreach (var (key, value) in counts)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {key.Replace("|", "\\|", StringComparison.Ordinal)} | {value} |\n");
            }

            if (counts.Count == 0)
            {
                md.Append("| (none) | 0 |\n");
            }

            md.Append('\n');
        }

        return md.ToString();
    }

    private IEnumerable<(string Section, IReadOnlyDictionary<string, int> Counts)> Sections()
    {
        yield return ("byChannel", ByChannel);
        yield return ("byTopic", ByTopic);
        yield return ("byDepartment", ByDepartment);
        yield return ("byStatus", ByStatus);
        yield return ("overdueByDepartment", OverdueByDepartment);
    }

    private static string Format(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in counts)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    private sealed class Builder(DateTimeOffset now, DateTimeOffset? from, DateTimeOffset? to)
    {
        private readonly Dictionary<string, int> _byChannel = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byTopic = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byDepartment = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byStatus = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _overdue = new(StringComparer.Ordinal);
        private readonly List<TimeSpan> _firstAnswers = [];
        private int _total;
        private int _urgent;
        private int _outOfScope;
        private int _monitoring;

        public void Add(Appeal appeal)
        {
            if ((from is { } f && appeal.ReceivedAt < f) || (to is { } t && appeal.ReceivedAt >= t))
            {
                return;
            }

            _total++;
            Increment(_byChannel, appeal.Channel.Value);
            Increment(_byTopic, appeal.Topic.Value);
            Increment(_byDepartment, appeal.UnitId ?? "none");
            Increment(_byStatus, appeal.Status.ToString());
            if (appeal.Classification is { IsUrgent: true })
            {
                _urgent++;
            }

            if (appeal.Classification is { IsOutOfScope: true })
            {
                _outOfScope++;
            }

            if (appeal.FoundByMonitoring)
            {
                _monitoring++;
            }

            if (appeal.FirstAnsweredAt is { } answered)
            {
                _firstAnswers.Add(answered - appeal.ReceivedAt);
            }

            if (IsOverdue(appeal, now))
            {
                Increment(_overdue, appeal.UnitId ?? "none");
            }
        }

        public AppealReport Build() => new()
        {
            From = from,
            To = to,
            GeneratedAt = now,
            Total = _total,
            ByChannel = Sorted(_byChannel),
            ByTopic = Sorted(_byTopic),
            ByDepartment = Sorted(_byDepartment),
            ByStatus = Sorted(_byStatus),
            FirstAnswer = AnswerTimeStatistics.From(_firstAnswers),
            OverdueByDepartment = Sorted(_overdue),
            Urgent = _urgent,
            OutOfScope = _outOfScope,
            FoundByMonitoring = _monitoring,
        };

        private static void Increment(Dictionary<string, int> counts, string key)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
            count++;
        }

        // Largest first, then by key, so reports read top-down and compare stably.
        private static OrderedDictionary<string, int> Sorted(Dictionary<string, int> counts)
        {
            var sorted = new OrderedDictionary<string, int>(counts.Count, StringComparer.Ordinal);
            foreach (var (key, value) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                sorted.Add(key, value);
            }

            return sorted;
        }
    }
}
