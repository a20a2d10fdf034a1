using System.Text;
using Mcu.Samples.Console.Cli;

namespace Mcu.Samples.Console;

/// <summary>The entry point of <c>mcu</c>, the console sample of Mcu.Sdk.</summary>
internal static class Program
{
    /// <summary>Runs <c>mcu</c> on the process's console.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code: 0 on success, 1 on an error, 2 when bad input lines were skipped.</returns>
    public static Task<int> Main(string[] args)
    {
        System.Console.OutputEncoding = Encoding.UTF8;
        var interactive = !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected;
        return RunAsync(args, System.Console.Out, System.Console.Error, System.Console.In, interactive);
    }

    /// <summary>Runs <c>mcu</c> in-process with the given streams (never showing progress), as tests do.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="stdin">Standard input.</param>
    /// <returns>The exit code.</returns>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin) =>
        RunAsync(args, stdout, stderr, stdin, interactive: false);

    private static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new ConsoleContext(stdout, stderr, stdin, interactive);
        var exitCode = await McuCommandLine.InvokeAsync(args, context).ConfigureAwait(false);
        await stdout.FlushAsync().ConfigureAwait(false);
        await stderr.FlushAsync().ConfigureAwait(false);
        return exitCode;
    }
}
