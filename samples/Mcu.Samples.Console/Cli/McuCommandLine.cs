using System.CommandLine;
using System.Globalization;
using Mcu.Samples.Console.Commands;
using Mcu.Samples.Console.Output;

namespace Mcu.Samples.Console.Cli;

/// <summary>The command tree of <c>mcu</c> (System.CommandLine 2.0).</summary>
internal static class McuCommandLine
{
    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="context">The console.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> InvokeAsync(string[] args, ConsoleContext context)
    {
        var root = Build(context);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        return root.Parse(args).InvokeAsync(configuration);
    }

    /// <summary>Builds the command tree.</summary>
    /// <param name="context">The console the commands write to.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Build(ConsoleContext context)
    {
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Write the SDK's log (console logging) to standard error.",
            Recursive = true,
        };

        var root = new RootCommand(
            "mcu — the console sample of Mcu.Sdk. Without a command it simulates one day of a city control centre "
            + "(about 1,000 appeals from monitoring, the Telegram bot and ПОС) on a simulated clock and prints the report.");
        root.Options.Add(verbose);
        root.SetAction((parse, ct) => SimulateCommand.RunDemoAsync(context, parse.GetValue(verbose), ct));

        root.Subcommands.Add(SimulateCommand.Create(context, verbose));
        root.Subcommands.Add(ReplayCommand.Create(context, verbose));
        root.Subcommands.Add(ClassifyCommand.Create(context, verbose));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(SlaCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context, verbose));
        root.Subcommands.Add(ChannelCommands.CreateTelegram(context));
        root.Subcommands.Add(ChannelCommands.CreateVk(context));
        return root;
    }

    /// <summary>Creates the <c>--format</c> option.</summary>
    /// <returns>The option.</returns>
    public static Option<string> FormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "The output format: md (Markdown tables), json (the JSON report alone on standard output) or csv.",
            HelpName = "md|json|csv",
            DefaultValueFactory = _ => "md",
        };
        option.AcceptOnlyFromAmong(ReportWriter.FormatNames);
        return option;
    }

    /// <summary>Creates an integer option that must lie in a range.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">The description.</param>
    /// <param name="defaultValue">The default value.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <returns>The option.</returns>
    public static Option<int> IntOption(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be from {min} to {max}; got {value}."));
            }
        });
        return option;
    }
}
