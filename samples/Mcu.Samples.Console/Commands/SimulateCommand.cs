using System.CommandLine;
using System.Globalization;
using System.Text;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Output;
using Mcu.Samples.Console.Simulation;
using Mcu.Sdk;
using Mcu.Sdk.Reporting;

namespace Mcu.Samples.Console.Commands;

/// <summary><c>mcu simulate</c> and the demo: a simulated city centre on a simulated clock, then its report.</summary>
internal static class SimulateCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The console.</param>
    /// <param name="verbose">The global <c>--verbose</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ConsoleContext context, Option<bool> verbose)
    {
        var days = McuCommandLine.IntOption("--days", "How many days to simulate.", 1, 1, 3_660);
        var perDay = McuCommandLine.IntOption("--per-day", "How many appeals arrive a day.", 1_000, 1, 1_000_000);
        var seed = McuCommandLine.IntOption("--seed", "The seed of every random choice: the same seed gives a byte-identical report.", SimulationOptions.DefaultSeed, int.MinValue, int.MaxValue);
        var format = McuCommandLine.FormatOption();
        var store = StoreOption.Create();
        var command = new Command("simulate", "Simulate a city control centre for N days at M appeals a day and print the report. Deterministic per seed.")
        {
            days, perDay, seed, format, store,
        };
        command.SetAction((parse, ct) => RunAsync(
            context,
            new SimulationOptions(parse.GetValue(days), parse.GetValue(perDay), parse.GetValue(seed)) { Store = parse.GetValue(store) },
            ReportWriter.Parse(parse.GetValue(format)),
            parse.GetValue(verbose),
            ct));
        return command;
    }

    /// <summary>Runs the demo: one day, 1,000 appeals, the default seed, Markdown.</summary>
    /// <param name="context">The console.</param>
    /// <param name="verbose">Whether the SDK logs to standard error.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunDemoAsync(ConsoleContext context, bool verbose, CancellationToken cancellationToken) =>
        RunAsync(context, new SimulationOptions(1, 1_000, SimulationOptions.DefaultSeed), ReportFormat.Md, verbose, cancellationToken);

    /// <summary>Simulates and prints the report.</summary>
    /// <param name="context">The console.</param>
    /// <param name="options">What to simulate.</param>
    /// <param name="format">The report format.</param>
    /// <param name="verbose">Whether the SDK logs to standard error.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(ConsoleContext context, SimulationOptions options, ReportFormat format, bool verbose, CancellationToken cancellationToken)
    {
        var (report, appendix) = await SimulateAsync(context, options, verbose, cancellationToken).ConfigureAwait(false);
        await ReportWriter.WriteAsync(context.Out, report, format, appendix).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Simulates and builds the report of the simulated period.</summary>
    /// <param name="context">The console (for progress).</param>
    /// <param name="options">What to simulate.</param>
    /// <param name="verbose">Whether the SDK logs to standard error.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>The report and the Markdown summary of the run.</returns>
    public static Task<(AppealReport Report, string Summary)> SimulateAsync(
        ConsoleContext context, SimulationOptions options, bool verbose, CancellationToken cancellationToken) =>
        SimulateAsync(
            context,
            options,
            verbose,
            async (runtime, statistics) =>
            {
                var report = await runtime.BuildReportAsync(options.Start, options.End, McuRuntime.CityOffset, cancellationToken).ConfigureAwait(false);
                return (report, Summarize(options, statistics, runtime));
            },
            cancellationToken);

    /// <summary>Simulates, then lets the caller read the simulated desk (its store, counters) before the SDK is disposed.</summary>
    /// <typeparam name="T">What the caller builds.</typeparam>
    /// <param name="context">The console (for progress).</param>
    /// <param name="options">What to simulate.</param>
    /// <param name="verbose">Whether the SDK logs to standard error.</param>
    /// <param name="build">Builds the result from the runtime, its clock at the end of the period, and the run's statistics.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>What <paramref name="build"/> returned.</returns>
    public static async Task<T> SimulateAsync<T>(
        ConsoleContext context, SimulationOptions options, bool verbose, Func<McuRuntime, SimulationStatistics, Task<T>> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(build);
        var clock = new SimulatedClock(options.Start);
        await using var runtime = McuRuntime.Create(clock, verbose, mcu => StoreOption.Apply(mcu, options.Store));
        var simulation = new CitySimulation(runtime, options);
        var description = string.Create(CultureInfo.InvariantCulture, $"Simulating {options.Days} day(s) × {options.PerDay} appeals");
        await ProgressDisplay.RunAsync(context, description, async progress =>
        {
            await simulation.RunAsync(progress, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

        return await build(runtime, simulation.Statistics).ConfigureAwait(false);
    }

    private static string Summarize(SimulationOptions options, SimulationStatistics stats, McuRuntime runtime)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## Simulation\n\nSeed {options.Seed}, {options.Days} day(s) from {options.Start:yyyy-MM-dd HH:mm zzz}, {options.PerDay} appeals a day; simulated clock, in-memory store, loopback channels.\n\n");
        md.Append("| step | count |\n|---|---:|\n");
        Row(md, "messages ingested", stats.Messages);
        Row(md, "appeals opened", stats.Created);
        Row(md, "follow-ups joined to an open appeal", stats.FollowUps);
        Row(md, "redelivered duplicates dropped", stats.Duplicates);
        Row(md, "rejected as out of scope (polite refusal)", stats.Rejected);
        Row(md, "urgent appeals escalated", runtime.Counters[AppealEventKind.Escalated]);
        Row(md, "interim answers", stats.InterimAnswers);
        Row(md, "final answers", stats.FinalAnswers);
        Row(md, "clarifications asked", stats.Clarifications);
        Row(md, "ratings (reopened by a low one)", stats.Ratings, stats.Reopened);
        Row(md, "closed", stats.Closed);
        Row(md, "SLA warnings raised", runtime.Counters[AppealEventKind.SlaWarning]);
        Row(md, "SLA breaches raised", runtime.Counters[AppealEventKind.SlaBreached]);
        Row(md, "SLA escalations raised", runtime.Counters[AppealEventKind.SlaEscalated]);
        Row(md, "replies delivered", runtime.Counters[AppealEventKind.ReplyDelivered]);
        Row(md, "replies failed or parked", runtime.Counters[AppealEventKind.ReplyFailed] + runtime.Counters[AppealEventKind.ReplyParked]);
        Row(md, "scheduled steps dropped (appeal moved on)", stats.ActionsDropped);
        md.Append("\n| channel | replies delivered |\n|---|---:|\n");
        foreach (var (channel, count) in runtime.Counters.DeliveredByChannel())
        {
            md.Append(CultureInfo.InvariantCulture, $"| {channel} | {count} |\n");
        }

        md.Append('\n');
        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, long count, long? detail = null) =>
        md.Append(CultureInfo.InvariantCulture, $"| {name} | {count}{(detail is { } d ? " (" + d.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty)} |\n");
}
