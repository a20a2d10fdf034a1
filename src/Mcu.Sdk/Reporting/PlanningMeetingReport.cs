using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Reporting;

/// <summary>How many SLA clocks were decided in a period and how: met in time, met late, or missed (the due time passed without the answer).</summary>
/// <param name="Due">The clocks decided in the period: <paramref name="OnTime"/> + <paramref name="Late"/> + <paramref name="Missed"/>.</param>
/// <param name="OnTime">Met at or before the due time.</param>
/// <param name="Late">Met after the due time.</param>
/// <param name="Missed">Not met, and the due time passed in the period (still overdue, or stopped by closing after the due time).</param>
public sealed record SlaCompliance(int Due, int OnTime, int Late, int Missed)
{
    /// <summary>Gets the share met in time, in percent with one decimal, or <see langword="null"/> when nothing was due.</summary>
    public double? Percent => Due == 0 ? null : Math.Round(100.0 * OnTime / Due, 1);
}

/// <summary>The compliance of one channel, topic or kind of clock.</summary>
/// <param name="Key">The channel id, topic code or clock kind (<c>first-answer</c>, <c>resolution</c>, …).</param>
/// <param name="Compliance">The figures.</param>
public sealed record SlaComplianceRow(string Key, SlaCompliance Compliance);

/// <summary>Statistics of durations in business hours.</summary>
/// <param name="Count">How many durations.</param>
/// <param name="MedianHours">The median in hours (two decimals), or <see langword="null"/> when there are none.</param>
/// <param name="P90Hours">The 90th percentile (nearest rank) in hours, or <see langword="null"/>.</param>
public sealed record BusinessHoursStatistics(int Count, double? MedianHours, double? P90Hours)
{
    /// <summary>Computes the statistics of a set of durations.</summary>
    /// <param name="durations">The durations.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="durations"/> is <see langword="null"/>.</exception>
    public static BusinessHoursStatistics From(IEnumerable<TimeSpan> durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        var hours = durations.Select(d => d.TotalHours).Order().ToArray();
        if (hours.Length == 0)
        {
            return new BusinessHoursStatistics(0, null, null);
        }

        var median = hours.Length % 2 == 1 ? hours[hours.Length / 2] : (hours[(hours.Length / 2) - 1] + hours[hours.Length / 2]) / 2;
        var p90 = hours[(int)Math.Ceiling(0.9 * hours.Length) - 1];
        return new BusinessHoursStatistics(hours.Length, Math.Round(median, 2), Math.Round(p90, 2));
    }
}

/// <summary>An open appeal whose SLA clock is overdue.</summary>
/// <param name="AppealId">The appeal id.</param>
/// <param name="Number">The appeal number.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Topic">The topic.</param>
/// <param name="UnitId">The responsible unit.</param>
/// <param name="Status">The status.</param>
/// <param name="Policy">The SLA policy.</param>
/// <param name="Clock">The most overdue clock's key (<c>first-answer</c>, <c>next-answer-2</c>, <c>resolution</c>, <c>registration</c>).</param>
/// <param name="DueAt">When that clock was due.</param>
/// <param name="Overdue">How long ago, in elapsed time (up to the pause, while the appeal waits for the citizen).</param>
/// <param name="OverdueBusiness">How long ago, in business time of the report's calendar.</param>
/// <param name="Escalation">The last escalation step raised for that clock (for example <c>centre-head</c>), or <see langword="null"/>.</param>
public sealed record OverdueAppeal(
    Guid AppealId,
    long Number,
    string Channel,
    string Topic,
    string UnitId,
    AppealStatus Status,
    string Policy,
    string Clock,
    DateTimeOffset DueAt,
    TimeSpan Overdue,
    TimeSpan OverdueBusiness,
    string? Escalation);

/// <summary>A clock met after its due time in the period: an answer (or registration, forwarding) that came late.</summary>
/// <param name="AppealId">The appeal id.</param>
/// <param name="Number">The appeal number.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Topic">The topic.</param>
/// <param name="UnitId">The responsible unit.</param>
/// <param name="Clock">The clock's key.</param>
/// <param name="DueAt">When it was due.</param>
/// <param name="MetAt">When it was met.</param>
/// <param name="Late">How late, in elapsed time.</param>
/// <param name="LateBusiness">How late, in business time of the report's calendar.</param>
public sealed record LateAnswer(
    Guid AppealId,
    long Number,
    string Channel,
    string Topic,
    string UnitId,
    string Clock,
    DateTimeOffset DueAt,
    DateTimeOffset MetAt,
    TimeSpan Late,
    TimeSpan LateBusiness);

/// <summary>One unit's line of the planning meeting.</summary>
public sealed record UnitSlaSummary
{
    /// <summary>Gets the unit id (<c>none</c> for appeals without a unit).</summary>
    public required string UnitId { get; init; }

    /// <summary>Gets the unit's name.</summary>
    public required string UnitName { get; init; }

    /// <summary>Gets how many appeals the unit received in the period.</summary>
    public required int Received { get; init; }

    /// <summary>Gets the unit's overdue open appeals, the most overdue first.</summary>
    public required IReadOnlyList<OverdueAppeal> Overdue { get; init; }

    /// <summary>Gets the clocks the unit met late in the period, the latest first.</summary>
    public required IReadOnlyList<LateAnswer> AnsweredLate { get; init; }

    /// <summary>Gets the unit's compliance in the period.</summary>
    public required SlaCompliance Compliance { get; init; }

    /// <summary>Gets the unit's first-answer time in business hours, for first answers given in the period.</summary>
    public required BusinessHoursStatistics FirstAnswer { get; init; }

    /// <summary>Gets the number of overdue open appeals.</summary>
    public int OverdueCount => Overdue.Count;

    /// <summary>Gets the longest overdue (elapsed time), or <see langword="null"/> when nothing is overdue.</summary>
    public TimeSpan? LongestOverdue => Overdue.Count == 0 ? null : Overdue[0].Overdue;
}

/// <summary>Options of <see cref="PlanningMeetingReport"/>.</summary>
public sealed class PlanningMeetingReportOptions
{
    /// <summary>Gets or sets the business calendar of the report's business-hour figures and the zone its times are written in.</summary>
    /// <value>The default value is <see cref="BusinessCalendar.Default"/>.</value>
    public BusinessCalendar Calendar { get; set; } = BusinessCalendar.Default;

    /// <summary>Gets or sets how a unit id becomes a name, or <see langword="null"/> to show the id.</summary>
    public Func<string, string>? UnitName { get; set; }
}

/// <summary>
/// The report read out at the head's planning meeting: per unit, the overdue open appeals (how many, the longest, the list), the clocks met
/// late in the period, compliance (the share of clocks met in time) per unit, channel, topic and kind of clock, and the median and 90th
/// percentile of the first answer in business hours.
/// </summary>
/// <remarks>
/// <para>
/// <b>Overdue</b> is as of <see cref="GeneratedAt"/>, whenever the appeal came: an open appeal is overdue when a running clock that escalates
/// passed its due time (before the pause, for an appeal waiting for the citizen). <b>Compliance</b> counts the clocks decided in the period
/// [<see cref="From"/>, <see cref="To"/>): met in it (in time or late), or due in it and not met by the report time or by the appeal's closing
/// (missed). A clock missed in one period and answered in a later one counts as missed in the first and late in the second.
/// </para>
/// <para>Forwarding clocks, which are not chased, count only when met. Appeals without deadlines count only as received.</para>
/// </remarks>
public sealed record PlanningMeetingReport
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gets the start of the period (inclusive), or <see langword="null"/> for the beginning.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the end of the period (exclusive), or <see langword="null"/> for the report time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the moment the report was made: overdue is counted at it.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets the time zone of the business calendar the report uses.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Gets the units, those with overdue appeals first (most overdue first), then by late answers and id.</summary>
    public required IReadOnlyList<UnitSlaSummary> Units { get; init; }

    /// <summary>Gets the compliance of every clock decided in the period.</summary>
    public required SlaCompliance Compliance { get; init; }

    /// <summary>Gets the compliance per channel.</summary>
    public required IReadOnlyList<SlaComplianceRow> ComplianceByChannel { get; init; }

    /// <summary>Gets the compliance per topic.</summary>
    public required IReadOnlyList<SlaComplianceRow> ComplianceByTopic { get; init; }

    /// <summary>Gets the compliance per kind of clock.</summary>
    public required IReadOnlyList<SlaComplianceRow> ComplianceByClock { get; init; }

    /// <summary>Gets the first-answer time in business hours of every first answer given in the period.</summary>
    public required BusinessHoursStatistics FirstAnswer { get; init; }

    /// <summary>Gets the number of overdue open appeals.</summary>
    public int OverdueOpen => Units.Sum(u => u.OverdueCount);

    /// <summary>Gets the number of clocks met late in the period.</summary>
    public int AnsweredLate => Units.Sum(u => u.AnsweredLate.Count);

    /// <summary>Gets a value indicating whether no unit has a single overdue open appeal — the pride of the meeting.</summary>
    public bool NoOverdue => OverdueOpen == 0;

    /// <summary>Builds the report from appeals.</summary>
    /// <param name="appeals">The appeals: every open one and every one that may have been answered in the period.</param>
    /// <param name="now">The report time.</param>
    /// <param name="from">The start of the period, or <see langword="null"/>.</param>
    /// <param name="to">The end of the period, or <see langword="null"/>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="appeals"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public static PlanningMeetingReport Build(
        IEnumerable<Appeal> appeals, DateTimeOffset now, DateTimeOffset? from = null, DateTimeOffset? to = null, PlanningMeetingReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(appeals);
        var builder = new Builder(now, from, to, options ?? new PlanningMeetingReportOptions());
        foreach (var appeal in appeals)
        {
            builder.Add(appeal);
        }

        return builder.Build();
    }

    /// <summary>Builds the report from a store, streaming every appeal once (answers in the period may belong to older appeals).</summary>
    /// <param name="store">The store.</param>
    /// <param name="now">The report time.</param>
    /// <param name="from">The start of the period, or <see langword="null"/>.</param>
    /// <param name="to">The end of the period, or <see langword="null"/>.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public static async ValueTask<PlanningMeetingReport> BuildAsync(
        IAppealStore store,
        DateTimeOffset now,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        PlanningMeetingReportOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(store);
        var builder = new Builder(now, from, to, options ?? new PlanningMeetingReportOptions());
        await foreach (var appeal in store.QueryAsync(AppealQuery.All, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(appeal);
        }

        return builder.Build();
    }

    /// <summary>Writes the report as indented JSON (camelCase keys; durations in minutes; times in the calendar's zone).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("period");
            WriteTime(writer, "from", From);
            WriteTime(writer, "to", To);
            writer.WriteEndObject();
            writer.WriteString("generatedAt", Local(GeneratedAt));
            writer.WriteString("timeZone", TimeZone);
            writer.WriteNumber("overdueOpen", OverdueOpen);
            writer.WriteNumber("answeredLate", AnsweredLate);
            writer.WriteBoolean("noOverdue", NoOverdue);
            WriteCompliance(writer, "compliance", Compliance);
            WriteStatistics(writer, "firstAnswerBusinessHours", FirstAnswer);
            writer.WriteStartArray("units");
            foreach (var unit in Units)
            {
                writer.WriteStartObject();
                writer.WriteString("unit", unit.UnitId);
                writer.WriteString("name", unit.UnitName);
                writer.WriteNumber("received", unit.Received);
                writer.WriteNumber("overdueCount", unit.OverdueCount);
                WriteMinutes(writer, "longestOverdueMinutes", unit.LongestOverdue);
                writer.WriteNumber("answeredLateCount", unit.AnsweredLate.Count);
                WriteCompliance(writer, "compliance", unit.Compliance);
                WriteStatistics(writer, "firstAnswerBusinessHours", unit.FirstAnswer);
                writer.WriteStartArray("overdue");
                foreach (var item in unit.Overdue)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("number", item.Number);
                    writer.WriteString("appealId", item.AppealId);
                    writer.WriteString("channel", item.Channel);
                    writer.WriteString("topic", item.Topic);
                    writer.WriteString("status", item.Status.ToString());
                    writer.WriteString("policy", item.Policy);
                    writer.WriteString("clock", item.Clock);
                    writer.WriteString("dueAt", Local(item.DueAt));
                    WriteMinutes(writer, "overdueMinutes", item.Overdue);
                    WriteMinutes(writer, "overdueBusinessMinutes", item.OverdueBusiness);
                    writer.WriteString("escalation", item.Escalation);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("answeredLate");
                foreach (var item in unit.AnsweredLate)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("number", item.Number);
                    writer.WriteString("appealId", item.AppealId);
                    writer.WriteString("channel", item.Channel);
                    writer.WriteString("topic", item.Topic);
                    writer.WriteString("clock", item.Clock);
                    writer.WriteString("dueAt", Local(item.DueAt));
                    writer.WriteString("metAt", Local(item.MetAt));
                    WriteMinutes(writer, "lateMinutes", item.Late);
                    WriteMinutes(writer, "lateBusinessMinutes", item.LateBusiness);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteRows(writer, "complianceByChannel", ComplianceByChannel);
            WriteRows(writer, "complianceByTopic", ComplianceByTopic);
            WriteRows(writer, "complianceByClock", ComplianceByClock);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the units table as CSV, one line per unit.</summary>
    /// <returns>
    /// CSV with the columns <c>unit,name,received,overdue_open,longest_overdue_hours,answered_late,due,on_time,late,missed,compliance_percent,
    /// first_answer_median_business_hours,first_answer_p90_business_hours</c>.
    /// </returns>
    public string ToCsv()
    {
        var csv = new StringBuilder("unit,name,received,overdue_open,longest_overdue_hours,answered_late,due,on_time,late,missed,compliance_percent,first_answer_median_business_hours,first_answer_p90_business_hours\n");
        foreach (var unit in Units)
        {
            var c = unit.Compliance;
            Line(
                csv,
                unit.UnitId,
                unit.UnitName,
                Integer(unit.Received),
                Integer(unit.OverdueCount),
                Hours(unit.LongestOverdue),
                Integer(unit.AnsweredLate.Count),
                Integer(c.Due),
                Integer(c.OnTime),
                Integer(c.Late),
                Integer(c.Missed),
                Decimal(c.Percent),
                Decimal(unit.FirstAnswer.MedianHours),
                Decimal(unit.FirstAnswer.P90Hours));
        }

        return csv.ToString();
    }

    /// <summary>Writes the list of overdue open appeals as CSV, one line per appeal.</summary>
    /// <returns>CSV with the columns <c>unit,number,appeal_id,channel,topic,status,policy,clock,due_at,overdue_hours,overdue_business_hours,escalation</c>.</returns>
    public string ToOverdueCsv()
    {
        var csv = new StringBuilder("unit,number,appeal_id,channel,topic,status,policy,clock,due_at,overdue_hours,overdue_business_hours,escalation\n");
        foreach (var unit in Units)
        {
            foreach (var item in unit.Overdue)
            {
                Line(
                    csv,
                    unit.UnitId,
                    Integer(item.Number),
                    item.AppealId.ToString(),
                    item.Channel,
                    item.Topic,
                    item.Status.ToString(),
                    item.Policy,
                    item.Clock,
                    Local(item.DueAt).ToString("O", CultureInfo.InvariantCulture),
                    Hours(item.Overdue),
                    Hours(item.OverdueBusiness),
                    item.Escalation ?? string.Empty);
            }
        }

        return csv.ToString();
    }

    /// <summary>Writes the report as Markdown: the headline, the units table, the overdue appeals per unit, late answers and compliance.</summary>
    /// <param name="maxListedPerUnit">How many overdue appeals and late answers to list per unit (the rest are counted).</param>
    /// <returns>The Markdown text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxListedPerUnit"/> is negative.</exception>
    public string ToMarkdown(int maxListedPerUnit = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxListedPerUnit);
        var md = new StringBuilder("# Planning meeting: overdue answers by unit\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Period: {Stamp(From) ?? "beginning"} — {Stamp(To) ?? "now"}. Overdue as of {Stamp(GeneratedAt)}. Business hours: {TimeZone}.\n\n");
        if (NoOverdue)
        {
            md.Append("**No unit had a single overdue answer.**");
        }
        else
        {
            md.Append(CultureInfo.InvariantCulture, $"**Overdue open appeals: {OverdueOpen}** in {Units.Count(u => u.OverdueCount > 0)} of {Units.Count} units.");
        }

        md.Append(CultureInfo.InvariantCulture, $" Answered late in the period: {AnsweredLate}. Compliance: {Percent(Compliance.Percent)} ({Compliance.OnTime} of {Compliance.Due} clocks in time).");
        md.Append(CultureInfo.InvariantCulture, $" First answer: median {Decimal(FirstAnswer.MedianHours, "—")} business hours, p90 {Decimal(FirstAnswer.P90Hours, "—")} ({FirstAnswer.Count} answers).\n\n");

        md.Append("## Units\n\n| unit | name | received | overdue now | longest overdue | answered late | compliance | first answer median, bh | p90, bh |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var unit in Units)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(unit.UnitId)} | {Cell(unit.UnitName)} | {unit.Received} | {unit.OverdueCount} | {Duration(unit.LongestOverdue)} | {unit.AnsweredLate.Count} | {Percent(unit.Compliance.Percent)} | {Decimal(unit.FirstAnswer.MedianHours, "—")} | {Decimal(unit.FirstAnswer.P90Hours, "—")} |\n");
        }

        if (!NoOverdue)
        {
            md.Append("\n## Overdue open appeals\n");
            foreach (var unit in Units.Where(u => u.OverdueCount > 0))
            {
                md.Append(CultureInfo.InvariantCulture, $"\n### {Cell(unit.UnitId)} — {Cell(unit.UnitName)}: {unit.OverdueCount}\n\n");
                md.Append("| № | channel | topic | status | clock | due | overdue | overdue, bh | escalated to |\n|---:|---|---|---|---|---|---:|---:|---|\n");
                foreach (var item in unit.Overdue.Take(maxListedPerUnit))
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {item.Number} | {item.Channel} | {item.Topic} | {item.Status} | {item.Clock} | {Stamp(item.DueAt)} | {Duration(item.Overdue)} | {Duration(item.OverdueBusiness)} | {item.Escalation ?? "—"} |\n");
                }

                More(md, unit.OverdueCount - maxListedPerUnit);
            }
        }

        if (AnsweredLate > 0)
        {
            md.Append("\n## Answered late in the period\n");
            foreach (var unit in Units.Where(u => u.AnsweredLate.Count > 0))
            {
                md.Append(CultureInfo.InvariantCulture, $"\n### {Cell(unit.UnitId)} — {Cell(unit.UnitName)}: {unit.AnsweredLate.Count}\n\n");
                md.Append("| № | channel | topic | clock | due | answered | late by | late, bh |\n|---:|---|---|---|---|---|---:|---:|\n");
                foreach (var item in unit.AnsweredLate.Take(maxListedPerUnit))
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {item.Number} | {item.Channel} | {item.Topic} | {item.Clock} | {Stamp(item.DueAt)} | {Stamp(item.MetAt)} | {Duration(item.Late)} | {Duration(item.LateBusiness)} |\n");
                }

                More(md, unit.AnsweredLate.Count - maxListedPerUnit);
            }
        }

        ComplianceTable(md, "Compliance by channel", "channel", ComplianceByChannel);
        ComplianceTable(md, "Compliance by topic", "topic", ComplianceByTopic);
        ComplianceTable(md, "Compliance by clock", "clock", ComplianceByClock);
        return md.ToString();
    }

    private static void ComplianceTable(StringBuilder md, string title, string column, IReadOnlyList<SlaComplianceRow> rows)
    {
        md.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n| {column} | due | in time | late | missed | compliance |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var row in rows)
        {
            var c = row.Compliance;
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(row.Key)} | {c.Due} | {c.OnTime} | {c.Late} | {c.Missed} | {Percent(c.Percent)} |\n");
        }

        if (rows.Count == 0)
        {
            md.Append("| (none) | 0 | 0 | 0 | 0 | — |\n");
        }
    }

    private static void More(StringBuilder md, int rest)
    {
        if (rest > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n… and {rest} more.\n");
        }
    }

    private DateTimeOffset Local(DateTimeOffset instant) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? instant.ToOffset(zone.GetUtcOffset(instant.UtcDateTime)) : instant;

    private string? Stamp(DateTimeOffset? instant) =>
        instant is { } value ? Local(value).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : null;

    private void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, Local(time));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteMinutes(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } span)
        {
            writer.WriteNumber(name, Math.Round(span.TotalMinutes, 1));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
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

    private static void WriteCompliance(Utf8JsonWriter writer, string name, SlaCompliance compliance)
    {
        writer.WriteStartObject(name);
        WriteComplianceValues(writer, compliance);
        writer.WriteEndObject();
    }

    private static void WriteComplianceValues(Utf8JsonWriter writer, SlaCompliance compliance)
    {
        writer.WriteNumber("due", compliance.Due);
        writer.WriteNumber("onTime", compliance.OnTime);
        writer.WriteNumber("late", compliance.Late);
        writer.WriteNumber("missed", compliance.Missed);
        WriteNullable(writer, "percent", compliance.Percent);
    }

    private static void WriteStatistics(Utf8JsonWriter writer, string name, BusinessHoursStatistics statistics)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", statistics.Count);
        WriteNullable(writer, "median", statistics.MedianHours);
        WriteNullable(writer, "p90", statistics.P90Hours);
        writer.WriteEndObject();
    }

    private static void WriteRows(Utf8JsonWriter writer, string name, IReadOnlyList<SlaComplianceRow> rows)
    {
        writer.WriteStartArray(name);
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("key", row.Key);
            WriteComplianceValues(writer, row.Compliance);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Line(StringBuilder csv, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var value = values[i];
            csv.Append(value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value);
        }

        csv.Append('\n');
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Decimal(double? value, string none = "") => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? none;

    private static string Hours(TimeSpan? value) => value is { } span ? span.TotalHours.ToString("0.##", CultureInfo.InvariantCulture) : string.Empty;

    private static string Percent(double? value) => value is { } number ? number.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Duration(TimeSpan? value)
    {
        if (value is not { } span)
        {
            return "—";
        }

        var minutes = (long)Math.Round(span.TotalMinutes);
        var days = minutes / (24 * 60);
        var rest = minutes % (24 * 60);
        var time = string.Create(CultureInfo.InvariantCulture, $"{rest / 60:00}:{rest % 60:00}");
        return days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{days} d {time}") : time;
    }

    private sealed class Builder
    {
        private readonly DateTimeOffset _now;
        private readonly DateTimeOffset? _from;
        private readonly DateTimeOffset? _to;
        private readonly BusinessCalendar _calendar;
        private readonly Func<string, string>? _unitName;
        private readonly Dictionary<string, UnitAccumulator> _units = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Counter> _byChannel = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Counter> _byTopic = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Counter> _byClock = new(StringComparer.Ordinal);
        private readonly Counter _total = new();
        private readonly List<TimeSpan> _firstAnswers = [];

        public Builder(DateTimeOffset now, DateTimeOffset? from, DateTimeOffset? to, PlanningMeetingReportOptions options)
        {
            if (from is { } f && to is { } t && t < f)
            {
                throw new ArgumentException($"The end of the period ({t:O}) is before its start ({f:O}).", nameof(to));
            }

            _now = now;
            _from = from;
            _to = to;
            _calendar = Throw.IfNull(options.Calendar, "options.Calendar");
            _unitName = options.UnitName;
        }

        public void Add(Appeal appeal)
        {
            ArgumentNullException.ThrowIfNull(appeal);
            if (appeal.ReceivedAt > _now)
            {
                return;
            }

            var unit = Unit(appeal.UnitId ?? "none");
            if (InPeriod(appeal.ReceivedAt))
            {
                unit.Received++;
            }

            if (appeal.FirstAnsweredAt is { } answered && InPeriod(answered))
            {
                var business = Business(appeal.ReceivedAt, answered);
                _firstAnswers.Add(business);
                unit.FirstAnswers.Add(business);
            }

            if (appeal.Deadlines is null)
            {
                return;
            }

            var timers = SlaEngine.GetTimers(appeal);
            var channel = Counter(_byChannel, appeal.Channel.Value);
            var topic = Counter(_byTopic, appeal.Topic.Value);
            OverdueAppeal? overdue = null;
            foreach (var timer in timers)
            {
                var clock = Counter(_byClock, SlaTimer.KindKey(timer.Kind));
                if (timer.MetAt is { } met)
                {
                    if (InPeriod(met))
                    {
                        var onTime = met <= timer.DueAt;
                        Count(onTime ? Outcome.OnTime : Outcome.Late, unit.Compliance, channel, topic, clock);
                        if (!onTime)
                        {
                            unit.Late.Add(new LateAnswer(
                                appeal.Id, appeal.Number, appeal.Channel.Value, appeal.Topic.Value, appeal.UnitId ?? "none", timer.Key,
                                timer.DueAt, met, met - timer.DueAt, Business(timer.DueAt, met)));
                        }
                    }

                    continue;
                }

                if (!timer.Escalates)
                {
                    continue;
                }

                // The clock stops when it is cancelled, or while the appeal waits for the citizen.
                var stop = timer.CancelledAt ?? appeal.ClockPausedAt ?? _now;
                if (timer.DueAt < stop && InPeriod(timer.DueAt))
                {
                    Count(Outcome.Missed, unit.Compliance, channel, topic, clock);
                }

                if (appeal.IsOpen && timer.CancelledAt is null && timer.DueAt < stop && (overdue is null || timer.DueAt < overdue.DueAt))
                {
                    overdue = new OverdueAppeal(
                        appeal.Id, appeal.Number, appeal.Channel.Value, appeal.Topic.Value, appeal.UnitId ?? "none", appeal.Status,
                        appeal.Deadlines.PolicyName, timer.Key, timer.DueAt, stop - timer.DueAt, Business(timer.DueAt, stop), LastEscalation(appeal, timer.Key));
                }
            }

            if (overdue is not null)
            {
                unit.Overdue.Add(overdue);
            }
        }

        public PlanningMeetingReport Build()
        {
            var units = _units.Values
                .Where(u => u.Received > 0 || u.Overdue.Count > 0 || u.Compliance.Due > 0 || u.FirstAnswers.Count > 0)
                .Select(u => new UnitSlaSummary
                {
                    UnitId = u.Id,
                    UnitName = u.Name,
                    Received = u.Received,
                    Overdue = [.. u.Overdue.OrderByDescending(o => o.Overdue).ThenBy(o => o.Number)],
                    AnsweredLate = [.. u.Late.OrderByDescending(l => l.Late).ThenBy(l => l.Number).ThenBy(l => l.Clock, StringComparer.Ordinal)],
                    Compliance = u.Compliance.ToCompliance(),
                    FirstAnswer = BusinessHoursStatistics.From(u.FirstAnswers),
                })
                .OrderByDescending(u => u.OverdueCount)
                .ThenByDescending(u => u.LongestOverdue ?? TimeSpan.Zero)
                .ThenByDescending(u => u.AnsweredLate.Count)
                .ThenBy(u => u.UnitId, StringComparer.Ordinal)
                .ToArray();
            return new PlanningMeetingReport
            {
                From = _from,
                To = _to,
                GeneratedAt = _now,
                TimeZone = _calendar.TimeZone.Id,
                Units = units,
                Compliance = _total.ToCompliance(),
                ComplianceByChannel = Rows(_byChannel),
                ComplianceByTopic = Rows(_byTopic),
                ComplianceByClock = Rows(_byClock),
                FirstAnswer = BusinessHoursStatistics.From(_firstAnswers),
            };
        }

        private static SlaComplianceRow[] Rows(Dictionary<string, Counter> counters) =>
            [.. counters
                .Where(p => p.Value.Due > 0)
                .OrderByDescending(p => p.Value.Due)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new SlaComplianceRow(p.Key, p.Value.ToCompliance()))];

        private static string? LastEscalation(Appeal appeal, string timerKey)
        {
            for (var i = appeal.RaisedSlaSteps.Count - 1; i >= 0; i--)
            {
                var key = appeal.RaisedSlaSteps[i];
                if (key.Length > timerKey.Length + 1 && key.StartsWith(timerKey, StringComparison.Ordinal) && key[timerKey.Length] == ':')
                {
                    return key[(timerKey.Length + 1)..];
                }
            }

            return null;
        }

        private static Counter Counter(Dictionary<string, Counter> counters, string key)
        {
            if (!counters.TryGetValue(key, out var counter))
            {
                counter = new Counter();
                counters.Add(key, counter);
            }

            return counter;
        }

        private void Count(Outcome outcome, Counter unit, Counter channel, Counter topic, Counter clock)
        {
            foreach (var counter in (ReadOnlySpan<Counter>)[_total, unit, channel, topic, clock])
            {
                counter.Add(outcome);
            }
        }

        private bool InPeriod(DateTimeOffset instant) =>
            instant <= _now && (_from is not { } f || instant >= f) && (_to is not { } t || instant < t);

        private TimeSpan Business(DateTimeOffset from, DateTimeOffset to) =>
            to <= from ? TimeSpan.Zero : SlaClock.GetTimeOrElapsed(_calendar, SlaTimeMode.Business, from, to);

        private UnitAccumulator Unit(string id)
        {
            if (!_units.TryGetValue(id, out var unit))
            {
                unit = new UnitAccumulator(id, _unitName?.Invoke(id) ?? id);
                _units.Add(id, unit);
            }

            return unit;
        }
    }

    private enum Outcome
    {
        OnTime,
        Late,
        Missed,
    }

    private sealed class Counter
    {
        public int Due => OnTime + Late + Missed;

        public int OnTime { get; private set; }

        public int Late { get; private set; }

        public int Missed { get; private set; }

        public void Add(Outcome outcome)
        {
            switch (outcome)
            {
                case Outcome.OnTime:
                    OnTime++;
                    break;
                case Outcome.Late:
                    Late++;
                    break;
                default:
                    Missed++;
                    break;
            }
        }

        public SlaCompliance ToCompliance() => new(Due, OnTime, Late, Missed);
    }

    private sealed class UnitAccumulator(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public int Received { get; set; }

        public List<OverdueAppeal> Overdue { get; } = [];

        public List<LateAnswer> Late { get; } = [];

        public Counter Compliance { get; } = new();

        public List<TimeSpan> FirstAnswers { get; } = [];
    }
}
