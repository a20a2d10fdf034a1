using Mcu.Samples.Console.Tests.TestSupport;

namespace Mcu.Samples.Console.Tests;

/// <summary><c>--store memory|sqlite:FILE</c> on simulate, report, replay and bench.</summary>
public sealed class StoreOptionTests : IDisposable
{
    private const string Message =
        """{"channel":"telegram","externalId":"501:77","conversation":"501","author":{"id":"501","name":"Иван"},"text":"Третий день нет горячей воды на Красной 12","receivedAt":"2026-11-20T08:15:00+03:00"}""";

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Simulate_OnSqlite_GivesTheSameReportAsInMemory()
    {
        var memory = await McuRun.RunAsync("simulate", "--days", "1", "--per-day", "150", "--seed", "7", "--format", "json");
        var sqlite = await McuRun.RunAsync("simulate", "--days", "1", "--per-day", "150", "--seed", "7", "--format", "json", "--store", "sqlite:" + Path.Combine(_folder.Path, "sim.db"));

        Assert.Equal(0, memory.ExitCode);
        Assert.Equal(0, sqlite.ExitCode);
        Assert.Equal(memory.Stdout, sqlite.Stdout);
        Assert.True(File.Exists(Path.Combine(_folder.Path, "sim.db")));
    }

    [Fact]
    public async Task Replay_TwiceIntoTheSameSqliteFile_SecondRunFindsTheAppealAlreadyStored()
    {
        var input = _folder.Write("in.jsonl", Message);
        var store = "sqlite:" + Path.Combine(_folder.Path, "replay.db");

        var first = await McuRun.RunAsync("replay", "--input", input, "--format", "json", "--store", store);
        var second = await McuRun.RunAsync("replay", "--input", input, "--format", "json", "--store", store);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(1, first.Json().RootElement.GetProperty("total").GetInt32());
        Assert.Equal(1, second.Json().RootElement.GetProperty("total").GetInt32()); // durable: the same message is one appeal across runs
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("simulate")]
    [InlineData("report")]
    [InlineData("bench")]
    public async Task Store_InvalidValue_FailsWithAClearError(string command)
    {
        var args = command == "replay"
            ? new[] { command, "--input", _folder.Write("x.jsonl", Message), "--store", "postgres:db" }
            : new[] { command, "--store", "postgres:db" };
        var result = await McuRun.RunAsync(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("sqlite:", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
