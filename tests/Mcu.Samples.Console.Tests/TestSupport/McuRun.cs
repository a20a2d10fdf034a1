using System.Text.Json;

namespace Mcu.Samples.Console.Tests.TestSupport;

/// <summary>The outcome of one <c>mcu</c> run: exit code and what it wrote.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record McuResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Gets the non-empty lines of standard output.</summary>
    public IReadOnlyList<string> Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Gets the last non-empty line of standard output.</summary>
    public string LastLine => Lines.Count == 0 ? string.Empty : Lines[^1];

    /// <summary>Parses standard output as one JSON document (fails when anything else is on it).</summary>
    /// <returns>The document.</returns>
    public JsonDocument Json() => JsonDocument.Parse(Stdout);

    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs <c>mcu</c> commands in-process through <c>Program.RunAsync</c>, capturing their output.</summary>
public static class McuRun
{
    /// <summary>Runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The result.</returns>
    public static Task<McuResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>Runs a command line with text on standard input.</summary>
    /// <param name="stdin">The standard input.</param>
    /// <param name="args">The arguments.</param>
    /// <returns>The result.</returns>
    public static async Task<McuResult> RunWithInputAsync(string stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin);
        var exitCode = await Program.RunAsync(args, stdout, stderr, input);
        return new McuResult(exitCode, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}

/// <summary>A temporary folder deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="TempFolder"/> class.</summary>
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mcu-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>Gets the folder's path.</summary>
    public string Path { get; }

    /// <summary>Writes a file of lines (UTF-8, \n endings).</summary>
    /// <param name="name">The file name.</param>
    /// <param name="lines">The lines.</param>
    /// <returns>The file's full path.</returns>
    public string Write(string name, params string[] lines)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failing test: the temp folder is cleaned by the system.
        }
    }
}
