using System.CommandLine;
using System.Globalization;
using System.Text;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Input;
using Mcu.Samples.Console.Output;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu replay --input FILE.jsonl</c>: the full pipeline (accept, classify, route, clock, acknowledge, answer) over recorded
/// inbound messages and units' answers, on a clock set from the lines' own times; then the report at the last message's time.
/// With <c>--ack-journal</c> (on <c>--store sqlite:FILE</c>) the run is a durable host run instead: see <see cref="ReplayRun"/>.
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
            Description = "The JSONL file to replay. A citizen's message per line: {\"channel\",\"externalId\",\"conversation\",\"author\":{\"id\",\"name\"},\"text\",\"receivedAt\"} "
                + "(\"location\", \"attachments\", \"district\" optional); or a unit's answer to the appeal holding a message: "
                + "{\"kind\":\"answer\",\"channel\",\"externalId\",\"text\"} (\"final\", \"answeredAt\", \"actor\" optional).",
            Required = true,
            HelpName = "FILE.jsonl",
        };
        var format = McuCommandLine.FormatOption();
        var store = StoreOption.Create();
        var ackJournal = new Option<FileInfo?>("--ack-journal")
        {
            Description = "Run as a durable host on --store sqlite:FILE and append one line per acknowledged input line to FILE, synced to the disk. "
                + "A rerun with the same journal resumes: lines acknowledged before are skipped. The run uses the system clock, the SDK's "
                + "background reply dispatcher and SLA monitor, logs each acknowledgement and delivery to standard error, and waits until "
                + "every committed reply is delivered before it prints the report.",
            HelpName = "FILE",
        };
        var deliveries = new Option<FileInfo?>("--deliveries")
        {
            Description = "Record every reply part the sample's offline channels are asked to send in FILE (one JSON line each, synced to the disk). "
                + "vk deduplicates a resend by its idempotency key, as VK's random_id does, and records it as deduplicated; the other channels have no key.",
            HelpName = "FILE",
        };
        var redeliver = McuCommandLine.IntOption(
            "--redeliver",
            "With --ack-journal: feed the last N messages an earlier run acknowledged once more, as a channel that lost the acknowledgement delivers them again; the desk finds them stored.",
            0,
            0,
            1_000);
        var command = new Command(
            "replay",
            "Run the full pipeline over inbound messages and units' answers from a JSONL file and print the report. Bad lines are reported with their line number and skipped (exit code 2).")
        {
            input, format, store, ackJournal, deliveries, redeliver,
        };
        command.Validators.Add(result =>
        {
            var journal = result.GetValue(ackJournal);
            if (!StoreOption.TryParse(result.GetValue(store), out var sqliteFile, out _))
            {
                return; // the option's own validator reports a bad --store value
            }

            if (journal is not null && sqliteFile is null)
            {
                result.AddError("--ack-journal needs a durable store: add --store sqlite:FILE (a journal over the memory store would resume into an empty desk).");
            }
            else if (result.GetValue(redeliver) > 0 && journal is null)
            {
                result.AddError("--redeliver needs --ack-journal: it feeds again the last messages an earlier run acknowledged.");
            }
            else if (journal is not null && result.GetValue(deliveries) is { } recorded && SamePath(journal, recorded))
            {
                result.AddError("--ack-journal and --deliveries must be different files.");
            }
            else if (sqliteFile is not null && (SamePath(new FileInfo(sqliteFile), journal) || SamePath(new FileInfo(sqliteFile), result.GetValue(deliveries))))
            {
                result.AddError("The journals cannot be the SQLite store's file.");
            }
        });
        command.SetAction((parse, ct) => ReplayRun.RunAsync(
            context,
            new ReplaySettings(parse.GetValue(input)!, ReportWriter.Parse(parse.GetValue(format)), parse.GetValue(verbose), parse.GetValue(store))
            {
                AckJournal = parse.GetValue(ackJournal),
                Deliveries = parse.GetValue(deliveries),
                Redeliver = parse.GetValue(redeliver),
            },
            ct));
        return command;
    }

    private static bool SamePath(FileInfo a, FileInfo? b) =>
        b is not null && string.Equals(Path.GetFullPath(a.FullName), Path.GetFullPath(b.FullName), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}

/// <summary>What <c>mcu replay</c> was asked to do.</summary>
/// <param name="Input">The JSONL file.</param>
/// <param name="Format">The report format.</param>
/// <param name="Verbose">Whether the SDK logs to standard error.</param>
/// <param name="Store">The store: <see langword="null"/> or <c>memory</c>, or <c>sqlite:FILE</c>.</param>
internal sealed record ReplaySettings(FileInfo Input, ReportFormat Format, bool Verbose, string? Store)
{
    /// <summary>Gets the acknowledgement journal; <see langword="null"/> for a replay on the simulated clock.</summary>
    public FileInfo? AckJournal { get; init; }

    /// <summary>Gets the deliveries journal of the offline channels, or <see langword="null"/> for the loopback channels.</summary>
    public FileInfo? Deliveries { get; init; }

    /// <summary>Gets how many messages acknowledged by an earlier run are fed again.</summary>
    public int Redeliver { get; init; }
}
