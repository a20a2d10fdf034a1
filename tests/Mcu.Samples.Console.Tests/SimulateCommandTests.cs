using System.Text.Json;
using Mcu.Samples.Console.Tests.TestSupport;

namespace Mcu.Samples.Console.Tests;

/// <summary>End-to-end tests of the demo (no arguments) and <c>mcu simulate</c>.</summary>
public sealed class SimulateCommandTests
{
    [Fact]
    public async Task Demo_NoArguments_PrintsMarkdownReportOfAboutAThousandAppeals()
    {
        var result = await McuRun.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("# Appeals report", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Period: 2026-11-16 00:00 +03:00 — 2026-11-17 00:00 +03:00", result.Stdout, StringComparison.Ordinal);
        foreach (var section in new[] { "## First answer", "## byChannel", "## byTopic", "## byDepartment", "## byStatus", "## overdueByDepartment", "## Simulation" })
        {
            Assert.Contains(section, result.Stdout, StringComparison.Ordinal);
        }

        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(result.Stdout, @"\*\*Total: (\d+)\*\*").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(total, 900, 1_050);

        // Units answered, some late, some appeals rejected, replies went out on every channel; no progress noise when redirected.
        Assert.Matches(@"\| Answered \| \d+ \|", result.Stdout);
        Assert.Matches(@"\| Rejected \| \d+ \|", result.Stdout);
        Assert.Matches(@"\| city-economy \| [1-9]\d* \|", result.Stdout[result.Stdout.IndexOf("## overdueByDepartment", StringComparison.Ordinal)..]);
        foreach (var channel in new[] { "monitoring", "telegram", "pos", "vk", "ok" })
        {
            Assert.Matches($@"\| {channel} \| [1-9]\d* \|", result.Stdout[result.Stdout.IndexOf("| channel | replies delivered |", StringComparison.Ordinal)..]);
        }

        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Simulate_SameSeed_ProducesByteIdenticalJson()
    {
        var first = await McuRun.RunAsync("simulate", "--days", "2", "--per-day", "300", "--seed", "11", "--format", "json");
        var second = await McuRun.RunAsync("simulate", "--days", "2", "--per-day", "300", "--seed", "11", "--format", "json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task Simulate_DifferentSeeds_ProduceDifferentReports()
    {
        var first = await McuRun.RunAsync("simulate", "--per-day", "300", "--seed", "1", "--format", "json");
        var second = await McuRun.RunAsync("simulate", "--per-day", "300", "--seed", "2", "--format", "json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.NotEqual(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task Simulate_FormatJson_PrintsOnlyTheReportWithEveryKey()
    {
        var result = await McuRun.RunAsync("simulate", "--per-day", "400", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = result.Json();
        var root = json.RootElement;
        foreach (var key in new[] { "total", "byChannel", "byTopic", "byDepartment", "byStatus", "firstAnswer", "overdueByDepartment" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        }

        foreach (var key in new[] { "averageMinutes", "medianMinutes", "p90Minutes" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty("firstAnswer").GetProperty(key).ValueKind);
        }

        var total = root.GetProperty("total").GetInt32();
        Assert.InRange(total, 350, 420);
        Assert.Equal(total, root.GetProperty("byChannel").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(total, root.GetProperty("byStatus").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal("2026-11-17T00:00:00+03:00", root.GetProperty("generatedAt").GetString());
    }

    [Fact]
    public async Task Simulate_ThreeDays_FollowsThe2024ChannelMixWithinTolerance()
    {
        var result = await McuRun.RunAsync("simulate", "--days", "3", "--per-day", "1000", "--seed", "2024", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = result.Json();
        var byChannel = json.RootElement.GetProperty("byChannel").EnumerateObject().ToDictionary(p => p.Name, p => (double)p.Value.GetInt32());
        var total = byChannel.Values.Sum();
        double Share(params string[] channels) => channels.Sum(c => byChannel.GetValueOrDefault(c)) / total;

        // 2024: incident management 26,872 (monitoring + the official VK/OK pages), Telegram bot 24,390, ПОС 20,673.
        const double all = 26_872 + 24_390 + 20_673;
        Assert.InRange(Share("monitoring", "vk", "ok"), (26_872 / all) - 0.035, (26_872 / all) + 0.035);
        Assert.InRange(Share("telegram"), (24_390 / all) - 0.035, (24_390 / all) + 0.035);
        Assert.InRange(Share("pos"), (20_673 / all) - 0.035, (20_673 / all) + 0.035);
        Assert.True(byChannel["monitoring"] > byChannel["vk"] && byChannel["vk"] > byChannel["ok"], "monitoring finds most of incident management");
        Assert.Equal(byChannel["monitoring"], json.RootElement.GetProperty("foundByMonitoring").GetInt32());
    }

    [Fact]
    public async Task Simulate_FormatCsv_PrintsSectionKeyValueRows()
    {
        var result = await McuRun.RunAsync("simulate", "--per-day", "100", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("section,key,value", result.Lines[0]);
        Assert.Contains(result.Lines, line => line.StartsWith("byChannel,telegram,", StringComparison.Ordinal));
        Assert.Contains(result.Lines, line => line.StartsWith("firstAnswer,medianMinutes,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--days", "0", "--days must be from 1 to 3660; got 0.")]
    [InlineData("--per-day", "-5", "--per-day must be from 1 to 1000000; got -5.")]
    [InlineData("--format", "xml", "'xml'")]
    public async Task Simulate_BadOption_FailsWithExitCode1AndAMessage(string option, string value, string message)
    {
        var result = await McuRun.RunAsync("simulate", option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("# Appeals report", result.Stdout, StringComparison.Ordinal);
    }
}
