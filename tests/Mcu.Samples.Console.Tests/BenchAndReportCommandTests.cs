using System.Globalization;
using System.Text.RegularExpressions;
using Mcu.Samples.Console.Tests.TestSupport;

namespace Mcu.Samples.Console.Tests;

/// <summary>End-to-end tests of <c>mcu bench</c> and <c>mcu report</c>.</summary>
public sealed partial class BenchAndReportCommandTests
{
    [Fact]
    public async Task Bench_SmallCount_PrintsRatesAndRatiosAgainstTheJsonBaseline()
    {
        var result = await McuRun.RunAsync("bench", "--count", "300");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("| stage | appeals | time, ms | appeals/s | baseline lines/s | ratio |", result.Stdout, StringComparison.Ordinal);
        var rows = result.Lines.Select(l => BenchRow().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups["stage"].Value.Split(' ')[0]);
        Assert.Equal(["desk", "default", "rules", "baseline"], rows.Keys);
        foreach (var row in rows.Values)
        {
            Assert.Equal("300", row.Groups["count"].Value);
            var rate = double.Parse(row.Groups["rate"].Value, CultureInfo.InvariantCulture);
            var baseline = double.Parse(row.Groups["baseline"].Value, CultureInfo.InvariantCulture);
            var ratio = double.Parse(row.Groups["ratio"].Value, CultureInfo.InvariantCulture);
            Assert.True(rate > 0 && baseline > 0 && ratio > 0, row.Value);
            Assert.Equal(rate / baseline, ratio, 0.01 * Math.Max(1, ratio));
        }

        Assert.Equal(1.0, double.Parse(rows["baseline"].Groups["ratio"].Value, CultureInfo.InvariantCulture));
        Assert.Contains("warming up", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportOverdue_SimulatedDays_PrintsThePlanningMeetingTablePerUnit()
    {
        var result = await McuRun.RunAsync("report", "--overdue", "--days", "2", "--per-day", "400");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("# Planning meeting: overdue answers by unit", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Period: 2026-11-16 00:00 +03:00 — 2026-11-18 00:00 +03:00", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\| city-economy \| департамент городского хозяйства и ТЭК \| \d+ \| \d+ \|", result.Stdout);
        Assert.Matches(@"\| transport-roads \| департамент транспорта и дорожного хозяйства \| \d+ \| \d+ \|", result.Stdout);
    }

    [Fact]
    public async Task ReportOverdue_Json_IsConsistentWithTheFullReportOfTheSameSimulation()
    {
        var overdue = await McuRun.RunAsync("report", "--overdue", "--days", "2", "--per-day", "300", "--seed", "5", "--format", "json");
        var full = await McuRun.RunAsync("report", "--days", "2", "--per-day", "300", "--seed", "5", "--format", "json");

        Assert.True(overdue.ExitCode == 0, overdue.ToString());
        Assert.True(full.ExitCode == 0, full.ToString());
        using var planning = overdue.Json();
        using var report = full.Json();
        var root = planning.RootElement;
        var generatedAt = root.GetProperty("generatedAt").GetDateTimeOffset();
        Assert.Equal(report.RootElement.GetProperty("generatedAt").GetDateTimeOffset(), generatedAt);

        var units = root.GetProperty("units").EnumerateArray().ToArray();
        Assert.Equal(report.RootElement.GetProperty("total").GetInt32(), units.Sum(u => u.GetProperty("received").GetInt32()));
        Assert.Equal(root.GetProperty("overdueOpen").GetInt32(), units.Sum(u => u.GetProperty("overdueCount").GetInt32()));
        Assert.True(root.GetProperty("overdueOpen").GetInt32() > 0, "a simulated week day always leaves some appeal overdue");
        foreach (var unit in units)
        {
            var id = unit.GetProperty("unit").GetString()!;
            Assert.Equal(report.RootElement.GetProperty("byDepartment").GetProperty(id).GetInt32(), unit.GetProperty("received").GetInt32());
            var items = unit.GetProperty("overdue").EnumerateArray().ToArray();
            Assert.Equal(unit.GetProperty("overdueCount").GetInt32(), items.Length);
            Assert.All(items, item => Assert.True(item.GetProperty("dueAt").GetDateTimeOffset() < generatedAt));
        }
    }

    [GeneratedRegex(@"^\| (?<stage>[^|]+?) \| (?<count>\d+) \| (?<ms>[\d.]+) \| (?<rate>\d+) \| (?<baseline>\d+) \| (?<ratio>[\d.]+) \|$")]
    private static partial Regex BenchRow();
}
