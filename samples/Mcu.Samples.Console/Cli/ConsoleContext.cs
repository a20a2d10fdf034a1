namespace Mcu.Samples.Console.Cli;

/// <summary>The streams a command reads and writes, so that tests run commands in-process and capture their output.</summary>
/// <param name="Out">Standard output: the command's result only (a report, JSON lines, a deadline).</param>
/// <param name="Error">Standard error: diagnostics, skipped input lines, progress.</param>
/// <param name="In">Standard input.</param>
/// <param name="Interactive">Whether a person watches a terminal (neither output is redirected): only then is progress shown.</param>
internal sealed record ConsoleContext(TextWriter Out, TextWriter Error, TextReader In, bool Interactive);

/// <summary>The exit codes of the <c>mcu</c> commands.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The command could not run: bad arguments, a missing file, an unknown time zone.</summary>
    public const int Error = 1;

    /// <summary>The command ran, but some input lines were bad and skipped (each is reported on standard error with its line number).</summary>
    public const int SkippedInput = 2;
}
