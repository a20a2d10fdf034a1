using System.CommandLine;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Output;
using Mcu.Samples.Console.Simulation;
using Mcu.Sdk.Reporting;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu report</c>: the report of a simulated week; with <c>--overdue</c>, the SDK's planning-meeting report
/// (<see cref="PlanningMeetingReport"/>): per unit the overdue open appeals, the answers given late and SLA compliance.
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
            Description = "Print the planning-meeting report instead: overdue open appeals and late answers per unit, SLA compliance (csv: the units table).",
        };
        var days = McuCommandLine.IntOption("--days", "How many days to simulate.", 7, 1, 3_660);
        var perDay = McuCommandLine.IntOption("--per-day", "How many appeals arrive a day.", 1_000, 1, 1_000_000);
        var seed = McuCommandLine.IntOption("--seed", "The seed of every random choice.", SimulationOptions.DefaultSeed, int.MinValue, int.MaxValue);
        var format = McuCommandLine.FormatOption();
        var store = StoreOption.Create();
        var command = new Command("report", "Simulate a week (by default) and print its report; --overdue prints the planning-meeting report of overdue answers per unit.")
        {
            overdue, days, perDay, seed, format, store,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SimulationOptions(parse.GetValue(days), parse.GetValue(perDay), parse.GetValue(seed)) { Store = parse.GetValue(store) };
            var reportFormat = ReportWriter.Parse(parse.GetValue(format));
            if (!parse.GetValue(overdue))
            {
                return await SimulateCommand.RunAsync(context, options, reportFormat, parse.GetValue(verbose), ct).ConfigureAwait(false);
            }

            var planning = await SimulateCommand.SimulateAsync(
                context,
                options,
                parse.GetValue(verbose),
                (runtime, _) => BuildAsync(runtime, options, ct),
                ct).ConfigureAwait(false);
            var text = reportFormat switch
            {
                ReportFormat.Json => planning.ToJson() + "\n",
                ReportFormat.Csv => planning.ToCsv(),
                _ => planning.ToMarkdown(),
            };
            await context.Out.WriteAsync(text).ConfigureAwait(false);
            await context.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Builds the planning-meeting report of the simulated period, as of its end, with the units' Russian names.</summary>
    /// <param name="runtime">The simulated desk.</param>
    /// <param name="options">The simulated period.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The report.</returns>
    internal static async Task<PlanningMeetingReport> BuildAsync(McuRuntime runtime, SimulationOptions options, CancellationToken cancellationToken) =>
        await PlanningMeetingReport.BuildAsync(
            runtime.Store,
            runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset),
            options.Start,
            options.End,
            new PlanningMeetingReportOptions { UnitName = runtime.UnitName },
            cancellationToken).ConfigureAwait(false);
}
