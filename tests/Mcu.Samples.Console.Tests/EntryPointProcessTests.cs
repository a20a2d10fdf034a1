using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Mcu.Samples.Console.Tests;

/// <summary>Runs the built <c>mcu</c> as a child process (<c>dotnet mcu.dll</c>) to prove the real entry point.</summary>
public sealed class EntryPointProcessTests
{
    [Fact]
    public async Task Process_SlaDeadline_ExitsZeroWithTheDeadlineOnTheLastLine()
    {
        var (exitCode, stdout, stderr) = await RunProcessAsync("sla", "deadline", "--from", "2026-11-20T17:00+03:00", "--business-hours", "2");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("2026-11-23T10:00:00+03:00", stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
    }

    [Fact]
    public async Task Process_SimulateJsonVerbose_KeepsStdoutPureJsonAndLogsToStderr()
    {
        var (exitCode, stdout, stderr) = await RunProcessAsync("simulate", "--per-day", "40", "--format", "json", "--verbose");

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.InRange(json.RootElement.GetProperty("total").GetInt32(), 30, 45);
        Assert.Contains("accepted from", stderr, StringComparison.Ordinal); // the desk's log line, on standard error only
    }

    [Fact]
    public async Task Process_UnknownZone_ExitsOne()
    {
        var (exitCode, stdout, stderr) = await RunProcessAsync("sla", "elapsed", "--from", "2026-11-20T09:00+03:00", "--to", "2026-11-20T10:00+03:00", "--zone", "Nowhere/City");

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("unknown time zone", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mcu.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built next to the tests.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal), await stderr);
    }
}
