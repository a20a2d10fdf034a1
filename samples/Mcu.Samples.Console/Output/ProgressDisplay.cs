using Mcu.Samples.Console.Cli;
using Spectre.Console;

namespace Mcu.Samples.Console.Output;

/// <summary>Shows the progress of a long step on standard error when a person watches a terminal; stays silent otherwise.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs work, showing its progress when <see cref="ConsoleContext.Interactive"/> is set.</summary>
    /// <param name="context">The console.</param>
    /// <param name="description">What is being done, shown beside the bar.</param>
    /// <param name="work">The work; it reports its progress as a fraction from 0 to 1.</param>
    /// <returns>The work's result.</returns>
    public static async Task<T> RunAsync<T>(ConsoleContext context, string description, Func<IProgress<double>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.Interactive)
        {
            return await work(new SynchronousProgress(static _ => { })).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        return await console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: 1.0);
                var result = await work(new SynchronousProgress(fraction => task.Value = Math.Clamp(fraction, 0, 1))).ConfigureAwait(false);
                task.Value = 1.0;
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>Reports on the calling thread (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
