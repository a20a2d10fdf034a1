using System.CommandLine;
using System.Globalization;
using System.Text;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Input;
using Mcu.Samples.Console.Output;
using Mcu.Sdk;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu replay --input FILE.jsonl</c>: the full pipeline (accept, classify, route, clock, acknowledge) over recorded inbound
/// messages, on a clock set from the messages' own receipt times; then the report at the last message's time.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The console.</param>
    /// <param name="verbose">The global <c>--verbose</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ConsoleContext context, Option<bool> verbose)
    {
        var input = new Option<FileInfo>("--input", "-i")
        {
            Description = "The JSONL file of inbound messages: {\"channel\",\"externalId\",\"conversation\",\"author\":{\"id\",\"name\"},\"text\",\"receivedAt\"} per line; \"location\" and \"attachments\" optional.",
            Required = true,
            HelpName = "FILE.jsonl",
        };
        var format = McuCommandLine.FormatOption();
        var store = StoreOption.Create();
        var command = new Command("replay", "Run the full pipeline over inbound messages from a JSONL file and print the report. Bad lines are reported with their line number and skipped (exit code 2).")
        {
            input, format, store,
        };
        command.SetAction((parse, ct) => RunAsync(context, parse.GetValue(input)!, ReportWriter.Parse(parse.GetValue(format)), parse.GetValue(verbose), ct, parse.GetValue(store)));
        return command;
    }

    /// <summary>Replays a file.</summary>
    /// <param name="context">The console.</param>
    /// <param name="input">The file.</param>
    /// <param name="format">The report format.</param>
    /// <param name="verbose">Whether the SDK logs to standard error.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <param name="store">The store: <see langword="null"/> or <c>memory</c>, or <c>sqlite:FILE</c>.</param>
    /// <returns>0, or 2 when bad lines were skipped, or 1 when the file cannot be read.</returns>
    public static async Task<int> RunAsync(ConsoleContext context, FileInfo input, ReportFormat format, bool verbose, CancellationToken cancellationToken, string? store = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        StreamReader reader;
        try
        {
            reader = new StreamReader(input.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"error: cannot read '{input.FullName}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        using (reader)
        {
            return await ReplayAsync(context, reader, input.Name, format, verbose, store, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> ReplayAsync(ConsoleContext context, TextReader reader, string name, ReportFormat format, bool verbose, string? store, CancellationToken cancellationToken)
    {
        // The clock starts at the first message and only moves forward; a message older than the clock is accepted at the clock's time.
        SimulatedClock? clock = null;
        McuRuntime? runtime = null;
        var parser = new InboundMessageParser(McuRuntime.KnownChannels);
        int lineNumber = 0, skipped = 0, created = 0, followUps = 0, duplicates = 0;
        DateTimeOffset? first = null, last = null;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (!parser.TryParse(line, out var message, out var error))
                {
                    skipped++;
                    await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}: skipped: {error}")).ConfigureAwait(false);
                    continue;
                }

                if (runtime is null)
                {
                    clock = new SimulatedClock(message!.ReceivedAt);
                    runtime = McuRuntime.Create(clock, verbose, mcu => StoreOption.Apply(mcu, store));
                }

                if (clock!.AdvanceTo(message!.ReceivedAt))
                {
                    await runtime.PumpAsync(cancellationToken).ConfigureAwait(false);
                }

                first = first is { } f && f <= message.ReceivedAt ? f : message.ReceivedAt;
                last = last is { } l && l >= message.ReceivedAt ? l : message.ReceivedAt;
                var result = await runtime.Desk.IngestAsync(message, cancellationToken).ConfigureAwait(false);
                switch (result.Outcome)
                {
                    case IngestOutcome.Created:
                        created++;
                        break;
                    case IngestOutcome.FollowUp:
                        followUps++;
                        break;
                    default:
                        duplicates++;
                        break;
                }
            }

            if (runtime is null)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}: no good message in {lineNumber} line(s); nothing to report.")).ConfigureAwait(false);
                return skipped > 0 ? ExitCodes.SkippedInput : ExitCodes.Error;
            }

            await runtime.PumpAsync(cancellationToken).ConfigureAwait(false);

            // The report is made at the last message's time, in that message's offset.
            var offset = last!.Value.Offset;
            var report = await runtime.BuildReportAsync(null, null, offset, cancellationToken).ConfigureAwait(false);
            var summary = new StringBuilder("## Replay\n\n| item | count |\n|---|---:|\n");
            summary.Append(CultureInfo.InvariantCulture, $"| lines read | {lineNumber} |\n| appeals opened | {created} |\n| follow-ups joined | {followUps} |\n| duplicates dropped | {duplicates} |\n| bad lines skipped | {skipped} |\n| replies delivered | {runtime.Counters[AppealEventKind.ReplyDelivered]} |\n\n");
            summary.Append(CultureInfo.InvariantCulture, $"Messages from {first:yyyy-MM-dd HH:mm zzz} to {last:yyyy-MM-dd HH:mm zzz}.\n\n");
            await ReportWriter.WriteAsync(context.Out, report, format, summary.ToString()).ConfigureAwait(false);
            await context.Error.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {lineNumber} line(s): {created} appeal(s), {followUps} follow-up(s), {duplicates} duplicate(s), {skipped} skipped.")).ConfigureAwait(false);
            return skipped > 0 ? ExitCodes.SkippedInput : ExitCodes.Success;
        }
        finally
        {
            if (runtime is not null)
            {
                await runtime.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
