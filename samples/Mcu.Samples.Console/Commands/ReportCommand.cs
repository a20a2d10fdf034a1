using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Output;
using Mcu.Samples.Console.Simulation;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Routing;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu report</c>: the report of a simulated week; with <c>--overdue</c>, the table read out at the head's planning meeting:
/// overdue answers per unit.
/// </summary>
internal static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The console.</param>
    /// <param name="verbose">The global <c>--verbose</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ConsoleContext context, Option<bool> verbose)
    {
        var overdue = new Option<bool>("--overdue")
        {
            Description = "Print only the overdue answers per unit (first answer or resolution later than its deadline), for the planning meeting.",
        };
        var days = McuCommandLine.IntOption("--days", "How many days to simulate.", 7, 1, 3_660);
        var perDay = McuCommandLine.IntOption("--per-day", "How many appeals arrive a day.", 1_000, 1, 1_000_000);
        var seed = McuCommandLine.IntOption("--seed", "The seed of every random choice.", SimulationOptions.DefaultSeed, int.MinValue, int.MaxValue);
        var format = McuCommandLine.FormatOption();
        var command = new Command("report", "Simulate a week (by default) and print its report; --overdue prints the overdue answers per unit.")
        {
            overdue, days, perDay, seed, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SimulationOptions(parse.GetValue(days), parse.GetValue(perDay), parse.GetValue(seed));
            var reportFormat = ReportWriter.Parse(parse.GetValue(format));
            if (!parse.GetValue(overdue))
            {
                return await SimulateCommand.RunAsync(context, options, reportFormat, parse.GetValue(verbose), ct).ConfigureAwait(false);
            }

            var (report, _) = await SimulateCommand.SimulateAsync(context, options, parse.GetValue(verbose), ct).ConfigureAwait(false);
            var rows = OverdueRows(report);
            var text = reportFormat switch
            {
                ReportFormat.Json => ToJson(report, rows) + "\n",
                ReportFormat.Csv => ToCsv(rows),
                _ => ToMarkdown(report, rows),
            };
            await context.Out.WriteAsync(text).ConfigureAwait(false);
            await context.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One unit's line of the planning-meeting table.</summary>
    /// <param name="Unit">The unit id.</param>
    /// <param name="Name">The unit's name.</param>
    /// <param name="Appeals">The appeals routed to it in the period.</param>
    /// <param name="Overdue">How many of them are overdue.</param>
    internal sealed record OverdueRow(string Unit, string Name, int Appeals, int Overdue)
    {
        /// <summary>Gets the overdue share in percent.</summary>
        public double Percent => Appeals == 0 ? 0 : Math.Round(100.0 * Overdue / Appeals, 1);
    }

    /// <summary>Builds the table: every unit that had appeals, the most overdue first.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The rows.</returns>
    internal static IReadOnlyList<OverdueRow> OverdueRows(AppealReport report) =>
        report.ByDepartment
            .Where(p => !string.Equals(p.Key, "none", StringComparison.Ordinal))
            .Select(p => new OverdueRow(p.Key, UnitName(p.Key), p.Value, report.OverdueByDepartment.GetValueOrDefault(p.Key)))
            .OrderByDescending(r => r.Overdue)
            .ThenByDescending(r => r.Percent)
            .ThenBy(r => r.Unit, StringComparer.Ordinal)
            .ToArray();

    private static string UnitName(string unit)
    {
        foreach (var (id, name) in DefaultRouting.Units)
        {
            if (string.Equals(id, unit, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return unit;
    }

    private static string ToMarkdown(AppealReport report, IReadOnlyList<OverdueRow> rows)
    {
        var md = new StringBuilder("# Overdue answers by unit\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Period: {report.From:yyyy-MM-dd HH:mm zzz} — {report.To:yyyy-MM-dd HH:mm zzz}. Generated {report.GeneratedAt:yyyy-MM-dd HH:mm zzz}. ");
        md.Append("An appeal is overdue when its first answer or its resolution came after the deadline, or is still missing past it.\n\n");
        var total = rows.Sum(r => r.Overdue);
        md.Append(CultureInfo.InvariantCulture, $"**Overdue: {total}** of {report.Total} appeals.\n\n");
        md.Append("| unit | name | appeals | overdue | share |\n|---|---|---:|---:|---:|\n");
        foreach (var row in rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Unit} | {row.Name} | {row.Appeals} | {row.Overdue} | {row.Percent:0.0} % |\n");
        }

        var clean = rows.Where(r => r.Overdue == 0).Select(r => r.Unit).ToArray();
        md.Append('\n');
        md.Append(clean.Length == rows.Count
            ? "No unit had a single overdue answer.\n"
            : clean.Length > 0 ? $"Without a single overdue answer: {string.Join(", ", clean)}.\n" : "Every unit has overdue answers.\n");
        return md.ToString();
    }

    private static string ToCsv(IReadOnlyList<OverdueRow> rows)
    {
        var csv = new StringBuilder("unit,name,appeals,overdue,percent\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.Unit},\"{row.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{row.Appeals},{row.Overdue},{row.Percent:0.0}\n");
        }

        return csv.ToString();
    }

    private static string ToJson(AppealReport report, IReadOnlyList<OverdueRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("period");
            writer.WriteString("from", report.From!.Value);
            writer.WriteString("to", report.To!.Value);
            writer.WriteEndObject();
            writer.WriteString("generatedAt", report.GeneratedAt);
            writer.WriteNumber("total", report.Total);
            writer.WriteNumber("overdue", rows.Sum(r => r.Overdue));
            writer.WriteStartArray("units");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("unit", row.Unit);
                writer.WriteString("name", row.Name);
                writer.WriteNumber("appeals", row.Appeals);
                writer.WriteNumber("overdue", row.Overdue);
                writer.WriteNumber("percent", row.Percent);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
