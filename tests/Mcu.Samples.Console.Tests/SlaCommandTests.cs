using Mcu.Samples.Console.Tests.TestSupport;

namespace Mcu.Samples.Console.Tests;

/// <summary>End-to-end tests of <c>mcu sla deadline</c> and <c>mcu sla elapsed</c> against hand-computed answers.</summary>
public sealed class SlaCommandTests
{
    [Theory]
    // Friday 17:00: one hour left on Friday, the weekend, then Monday 09:00–10:00.
    [InlineData("2026-11-20T17:00+03:00", "2", null, "2026-11-23T10:00:00+03:00")]
    // The lunch break 13:00–14:00 does not count.
    [InlineData("2026-11-18T12:30+03:00", "1", null, "2026-11-18T14:30:00+03:00")]
    // The production calendar: 3 November 2026 is a shortened pre-holiday day (until 17:00), 4 November is a holiday.
    [InlineData("2026-11-03T16:30+03:00", "1", null, "2026-11-05T09:30:00+03:00")]
    // Before opening the clock starts at 09:00; fractions of an hour are allowed.
    [InlineData("2026-11-19T07:00+03:00", "1.5", null, "2026-11-19T10:30:00+03:00")]
    // A deadline reached exactly at closing time is that closing time.
    [InlineData("2026-11-20T17:00+03:00", "2", "Europe/Kaliningrad", "2026-11-20T18:00:00+02:00")]
    // Without an offset, --from is a local time in the zone; the result is in the zone's offset.
    [InlineData("2026-11-20T17:00", "2", "Asia/Vladivostok", "2026-11-23T10:00:00+10:00")]
    public async Task Deadline_KnownCases_PrintTheDeadlineOnTheLastLine(string from, string hours, string? zone, string expected)
    {
        var args = new List<string> { "sla", "deadline", "--from", from, "--business-hours", hours };
        if (zone is not null)
        {
            args.AddRange(["--zone", zone]);
        }

        var result = await McuRun.RunAsync([.. args]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.LastLine);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [InlineData("2026-11-20T09:00+03:00", "2026-11-20T15:30+03:00", "05:30 (330 minutes)")]
    [InlineData("2026-11-20T12:00+03:00", "2026-11-23T12:30+03:00", "08:30 (510 minutes)")]
    [InlineData("2026-11-23T12:30+03:00", "2026-11-20T12:00+03:00", "-08:30 (-510 minutes)")]
    [InlineData("2026-11-21T10:00+03:00", "2026-11-22T17:00+03:00", "00:00 (0 minutes)")]
    [InlineData("2026-11-02T09:00+03:00", "2026-11-06T09:00+03:00", "23:00 (1380 minutes)")] // 8 + 7 (shortened) + 0 (holiday) + 8 hours
    public async Task Elapsed_KnownCases_PrintHoursMinutesAndTotalMinutesOnTheLastLine(string from, string to, string expected)
    {
        var result = await McuRun.RunAsync("sla", "elapsed", "--from", from, "--to", to);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.LastLine);
    }

    [Fact]
    public async Task Deadline_UnknownZone_FailsWithExitCode1AndAClearError()
    {
        var result = await McuRun.RunAsync("sla", "deadline", "--from", "2026-11-20T17:00+03:00", "--business-hours", "2", "--zone", "Mars/Olympus");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown time zone 'Mars/Olympus'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Theory]
    [InlineData("deadline", "--from", "yesterday")]
    [InlineData("deadline", "--from", "2026-13-40T25:00+03:00")]
    [InlineData("elapsed", "--to", "20.11.2026")]
    public async Task Sla_BadIsoDate_FailsWithExitCode1NamingTheOption(string command, string option, string value)
    {
        var args = command == "deadline"
            ? new[] { "sla", "deadline", "--from", "2026-11-20T17:00+03:00", "--business-hours", "2" }
            : ["sla", "elapsed", "--from", "2026-11-20T17:00+03:00", "--to", "2026-11-21T17:00+03:00"];
        var index = Array.IndexOf(args, option) + 1;
        args[index] = value;

        var result = await McuRun.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {option} '{value}' is not an ISO 8601 date and time", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_NegativeHours_FailsWithExitCode1()
    {
        var result = await McuRun.RunAsync("sla", "deadline", "--from", "2026-11-20T17:00+03:00", "--business-hours", "-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--business-hours", result.Stderr, StringComparison.Ordinal);
    }
}
