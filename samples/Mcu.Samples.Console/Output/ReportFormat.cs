using Mcu.Sdk.Reporting;

namespace Mcu.Samples.Console.Output;

/// <summary>How a report is written.</summary>
internal enum ReportFormat
{
    /// <summary>Markdown tables, for a terminal or a chat.</summary>
    Md = 0,

    /// <summary>One JSON object (camelCase keys), alone on standard output.</summary>
    Json = 1,

    /// <summary>CSV with the columns <c>section,key,value</c>.</summary>
    Csv = 2,
}

/// <summary>Writes reports in the chosen format.</summary>
internal static class ReportWriter
{
    /// <summary>The names accepted by <c>--format</c>.</summary>
    public static readonly string[] FormatNames = ["md", "json", "csv"];

    /// <summary>Parses a <c>--format</c> value.</summary>
    /// <param name="value">The value: <c>md</c>, <c>json</c> or <c>csv</c>, case-insensitive.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">The value is none of them.</exception>
    public static ReportFormat Parse(string? value) => value?.ToUpperInvariant() switch
    {
        null or "MD" or "MARKDOWN" => ReportFormat.Md,
        "JSON" => ReportFormat.Json,
        "CSV" => ReportFormat.Csv,
        _ => throw new ArgumentException($"Unknown format '{value}'; use md, json or csv.", nameof(value)),
    };

    /// <summary>Writes a report, followed in Markdown by an optional run summary.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="report">The report.</param>
    /// <param name="format">The format.</param>
    /// <param name="markdownAppendix">Markdown appended after the report in <see cref="ReportFormat.Md"/> only, or <see langword="null"/>.</param>
    /// <returns>A task that completes when written.</returns>
    public static async Task WriteAsync(TextWriter output, AppealReport report, ReportFormat format, string? markdownAppendix = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        switch (format)
        {
            case ReportFormat.Json:
                await output.WriteLineAsync(report.ToJson(indented: true)).ConfigureAwait(false);
                break;
            case ReportFormat.Csv:
                await output.WriteAsync(report.ToCsv()).ConfigureAwait(false);
                break;
            default:
                await output.WriteAsync(report.ToMarkdown()).ConfigureAwait(false);
                if (markdownAppendix is not null)
                {
                    await output.WriteAsync(markdownAppendix).ConfigureAwait(false);
                }

                break;
        }

        await output.FlushAsync().ConfigureAwait(false);
    }
}
